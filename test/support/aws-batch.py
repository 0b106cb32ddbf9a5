"""Runs several AWS CLI commands in one AWS CLI process (test support for lib.sh dump_snapshot).

Each stdin line is a JSON array: the output file, then the AWS CLI arguments (what follows `aws`).
Every command goes through the AWS CLI's own driver, the one the `aws` executable runs, so output
is byte for byte what `aws ARGS > FILE` writes; only the interpreter start and the loading of the
service models happen once instead of once per command. Exits 1 when any command fails (each
failure is named on stderr), after running them all.
"""
import contextlib
import json
import sys

from awscli.clidriver import create_clidriver


def main() -> int:
    driver = create_clidriver()
    failed = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        out, *argv = json.loads(line)
        with open(out, "w", encoding="utf-8") as f, contextlib.redirect_stdout(f):
            try:
                rc = driver.main(argv)
            except SystemExit as e:  # argument errors exit like the CLI does
                rc = e.code if isinstance(e.code, int) else 1
        if rc:
            failed = 1
            print(f"aws {' '.join(argv)}: exit {rc}", file=sys.stderr)
    return failed


if __name__ == "__main__":
    sys.exit(main())
