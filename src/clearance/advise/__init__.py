"""The advisor behind `clearance advise`: compliant options per workload, scored and costed.

candidates.py proposes deployments, judge.py runs each through the same
resolve + evaluate path as `check`, score.py and cost.py implement the seeds'
six-dimension score and cost model, advise.py puts them together and
report/ renders the result. Nothing here is imported by `clearance check`.
"""
