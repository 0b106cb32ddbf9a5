"""Serves AWS CLI commands from one AWS CLI process (test support for lib.sh's ec2/elbv2 helpers).

The scenario build scripts call the AWS CLI dozens of times, one after another; each `aws` start
costs about a second of interpreter start and service-model loading. With this server, lib.sh's
helpers send each command to one AWS CLI process instead. Every command goes through the AWS CLI's
own driver, the one the `aws` executable runs, so output and exit codes are the CLI's.

    python aws-server.py DIR     # DIR holds the FIFOs `req` and `res` (made by lib.sh)

Protocol (one command at a time; lib.sh holds a lock): the client writes the number of arguments on
a line, then each argument followed by a NUL byte, to `req`; the server runs the command with its
stdout in DIR/out and its stderr in DIR/err, then writes the exit code and a newline to `res`.
The server exits when `req` is closed (the build script has ended), and removes DIR.
"""
import contextlib
import os
import shutil
import sys

from awscli.clidriver import create_clidriver


def read_arg(stream) -> str:
    buf = bytearray()
    while True:
        c = stream.read(1)
        if not c:
            raise EOFError
        if c == b"\0":
            return buf.decode("utf-8")
        buf += c


def main() -> int:
    d = sys.argv[1]
    driver = create_clidriver()
    with open(os.path.join(d, "req"), "rb") as req, open(os.path.join(d, "res"), "w") as res:
        while True:
            line = req.readline()
            if not line:
                return 0
            try:
                argv = [read_arg(req) for _ in range(int(line))]
            except EOFError:
                return 1
            with open(os.path.join(d, "out"), "w", encoding="utf-8") as out, open(os.path.join(d, "err"), "w", encoding="utf-8") as err, \
                    contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    rc = driver.main(argv)
                except SystemExit as e:  # argument errors exit like the CLI does
                    rc = e.code if isinstance(e.code, int) else 1
                except Exception as e:  # noqa: BLE001 - reported as the CLI would, never kills the server
                    print(f"aws: {e}", file=sys.stderr)
                    rc = 255
            res.write(f"{rc or 0}\n")
            res.flush()


if __name__ == "__main__":
    try:
        code = main()
    finally:
        shutil.rmtree(sys.argv[1], ignore_errors=True)  # the FIFOs and the last output
    sys.exit(code)
