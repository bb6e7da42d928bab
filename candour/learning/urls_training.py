"""Learning URLs: training."""

from django.urls import path

from candour.learning.views import training

urlpatterns = [
    path("mine/", training.show_my_training, name="show_my_training"),
    path("compliance/", training.show_compliance, name="show_compliance"),
    path("compliance/people/", training.list_compliance_people, name="list_compliance_people"),
    path("compliance/people/chase/", training.chase_training, name="chase_training"),
    path("records/new/", training.add_training_record, name="add_training_record"),
    path("imports/new/", training.upload_training_records, name="upload_training_records"),
    path("imports/columns/", training.choose_training_columns, name="choose_training_columns"),
    path("imports/template.csv", training.download_training_template, name="download_training_template"),
]
