"""Settings for the whole suite.

Property tests take as long as the machine lets them: a loaded CI runner must not turn a slow
example into a failure, so no test has a per-example deadline and slow data generation is no
health-check failure. Each test still bounds its own examples with ``max_examples``.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("oncall", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("oncall")
