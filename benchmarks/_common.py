"""Shared helpers of the benchmark scripts: machine facts and the results file."""

import json
import os
import platform
import sys
import time

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def machine():
    from enumerate.results.io import versions

    return {"cores": os.cpu_count(), "platform": platform.platform(), "processor": platform.processor(),
            "date": time.strftime("%Y-%m-%d"), "versions": versions()}


def write_results(name, payload):
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"{name}.json")
    with open(path, "w") as fh:
        json.dump({"benchmark": name, "machine": machine(), **payload}, fh, indent=1)
        fh.write("\n")
    print(f"wrote {path}", file=sys.stderr)
    return path
