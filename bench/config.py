"""The parameters of one benchmark run, from the command line or the environment (bench.run)."""

from dataclasses import dataclass


@dataclass
class Config:
    n: int
    threads: int
    connections: int
    duration: int
    warmup: int
    rounds: int
    workers: int
    small: int
    large: int
    exchange: int
    skip_exchange: bool
    skip_mixed: bool
    mixed_duration: int
    mixed_redis_url: str
