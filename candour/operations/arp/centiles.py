"""The ARP clock's centiles and rounding: the pure arithmetic lives in `candour.core.centiles`, shared with
other apps' waits (ADR 0032); it is named here too so the ARP engine reads as one package."""

from candour.core.centiles import NINETIETH, CentileMethod, centile, mean_seconds, round_half_up

__all__ = ["NINETIETH", "CentileMethod", "centile", "mean_seconds", "round_half_up"]
