"""Start / stop paperkg's Neo4j test server (``Launcher.java`` in Java's source-file mode).

Used by ``tests/conftest.py`` and ``bench/neo4j_load.py``; also a small CLI::

    python tests/neo4j/neo4j_testserver.py start --home /tmp/neo4j-home   # prints the Bolt URI, runs until ^C

The classpath comes from ``tests/neo4j/install.sh`` (cached under ``~/.cache/paperkg-neo4j``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "Launcher.java"
POM = HERE / "pom.xml"
TEST_USER = "neo4j"
TEST_PASSWORD = "paperkg-test-password"
READY = re.compile(r"^PAPERKG_NEO4J_READY (\S+) (\S+) (\d+)ms")
# What Neo4j's own neo4j.conf passes (server.jvm.additional): without the --add-opens the page cache
# falls back to slower code paths; TrustFinalNonStaticFields lets the JIT fold Neo4j's final fields.
JVM_FLAGS = (
    "-Xms256m",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)


def _with_gc(defaults: tuple[str, ...], extra: tuple[str, ...]) -> list[str]:
    """``defaults + extra``; an extra ``-XX:+Use...GC`` replaces the default collector (the JVM refuses two)."""
    gc = re.compile(r"^-XX:\+Use\w+GC$")
    keep = [f for f in defaults if not (gc.match(f) and any(gc.match(e) for e in extra))]
    return [*keep, *extra]


class ServerSetupError(RuntimeError):
    """Java, the classpath or the server start failed; the message says how to fix it."""


def neo4j_version() -> str:
    m = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text())
    assert m, "tests/neo4j/pom.xml lacks <neo4j.version>"
    return m.group(1)


def cache_dir() -> Path:
    return Path(os.environ.get("PAPERKG_NEO4J_CACHE", Path.home() / ".cache" / "paperkg-neo4j"))


def classpath_file() -> Path:
    return cache_dir() / f"classpath-{neo4j_version()}.txt"


def java_executable() -> str:
    java = os.environ.get("PAPERKG_NEO4J_JAVA") or shutil.which("java")
    if not java:
        raise ServerSetupError("java not found on PATH (Neo4j 5.26 needs Java 17 or 21)")
    return java


def classpath(install: bool = True) -> str:
    """The cached classpath; runs ``install.sh`` once when missing and ``install`` is true."""
    cp = classpath_file()
    if not cp.exists() and install:
        proc = subprocess.run(["bash", str(HERE / "install.sh")], capture_output=True, text=True)
        if proc.returncode != 0:
            raise ServerSetupError(f"tests/neo4j/install.sh failed: {proc.stderr.strip()[-800:]}")
    if not cp.exists():
        raise ServerSetupError(f"{cp} missing: run tests/neo4j/install.sh")
    return cp.read_text().strip()


@dataclass
class Neo4jTestServer:
    """One Neo4j process over ``home``; ``start()`` blocks until Bolt accepts logins."""

    home: Path
    password: str = TEST_PASSWORD
    user: str = TEST_USER
    heap: str = "1g"
    pagecache: str = "256m"
    #: "c1" stops the JIT at C1: ~40% less CPU to start, slower on big loads (tests vs benchmarks)
    jit: str = "tiered"
    #: extra JVM flags after the defaults (e.g. a GC choice); also from $PAPERKG_NEO4J_JVM_FLAGS
    jvm_flags: tuple[str, ...] = ()
    port: int = 0
    uri: str = ""
    version: str = ""
    startup_ms: int = 0
    wall_seconds: float = 0.0
    _proc: subprocess.Popen[str] | None = field(default=None, repr=False)
    _log: list[str] = field(default_factory=list, repr=False)

    def start(self, timeout: float = 240.0) -> Neo4jTestServer:
        if self.running:
            return self
        self.home.mkdir(parents=True, exist_ok=True)
        cmd = [
            java_executable(),
            f"-Xmx{self.heap}",
            *_with_gc(JVM_FLAGS, self.extra_jvm_flags),
            *(["-XX:TieredStopAtLevel=1"] if self.jit == "c1" else []),
            "-cp",
            classpath(),
            str(LAUNCHER),
            "--home",
            str(self.home),
            "--port",
            str(self.port),
            "--password",
            self.password,
            "--pagecache",
            self.pagecache,
            "--exit-on-stdin-eof",
        ]
        t0 = time.monotonic()
        self._log = []
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,  # kept open; the JVM exits when it closes (we died)
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # ^C in pytest must not hit the JVM before teardown stops it
        )
        ready = threading.Event()

        def pump() -> None:
            assert self._proc and self._proc.stdout
            for line in self._proc.stdout:
                self._log.append(line.rstrip())
                m = READY.match(line)
                if m:
                    self.uri, self.version, self.startup_ms = m.group(1), m.group(2), int(m.group(3))
                    ready.set()

        threading.Thread(target=pump, daemon=True, name="neo4j-testserver-output").start()
        while not ready.wait(0.2):
            if self._proc.poll() is not None or time.monotonic() - t0 > timeout:
                self.kill()
                tail = "\n".join(self._log[-25:])
                raise ServerSetupError(f"Neo4j test server did not start (home {self.home}):\n{tail}")
        self.wall_seconds = time.monotonic() - t0
        # a restart reuses the port so a client's URI stays valid
        self.port = int(self.uri.rsplit(":", 1)[1])
        return self

    @property
    def extra_jvm_flags(self) -> tuple[str, ...]:
        return (*self.jvm_flags, *os.environ.get("PAPERKG_NEO4J_JVM_FLAGS", "").split())

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM: Neo4j checkpoints and closes its store."""
        if not self.running:
            return
        assert self._proc
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: a crash; the next start recovers from the transaction log."""
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.kill()
        self._proc.wait(30)

    def log_tail(self, n: int = 25) -> str:
        return "\n".join(self._log[-n:])


def neo4j_admin(home: Path, args: list[str], heap: str = "512m", timeout: float = 600) -> str:
    """Run ``neo4j-admin ARGS`` (``org.neo4j.cli.AdminTool`` from the same jars) on ``home``.

    Returns its output; raises :class:`ServerSetupError` with the output's tail on failure.
    """
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").touch()
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    cmd = [java_executable(), f"-Xmx{heap}", *JVM_FLAGS, "-XX:TieredStopAtLevel=1", "-cp", classpath(),
           "org.neo4j.cli.AdminTool", *args]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise ServerSetupError(f"neo4j-admin {' '.join(args[:4])} failed ({proc.returncode}):\n{output[-2000:]}")
    return output


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Run paperkg's Neo4j test server until interrupted.")
    ap.add_argument("command", choices=["start", "classpath", "version"])
    ap.add_argument("--home", type=Path, help="data directory (default: a new temporary one)")
    ap.add_argument("--port", type=int, default=0, help="Bolt port (default: a free one)")
    ap.add_argument("--password", default=TEST_PASSWORD)
    ap.add_argument("--heap", default="1g")
    args = ap.parse_args(argv)
    if args.command == "version":
        print(neo4j_version())
        return 0
    if args.command == "classpath":
        print(classpath())
        return 0
    # block the signals first: sigwait only receives blocked ones, and an unblocked SIGTERM would end
    # Python without stopping the JVM (which runs in its own session)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    home = args.home or Path(tempfile.mkdtemp(prefix="paperkg-neo4j-"))
    server = Neo4jTestServer(home, password=args.password, heap=args.heap, port=args.port).start()
    print(
        f"{server.uri} user={server.user} password={server.password} home={home} "
        f"(Neo4j {server.version}, ready in {server.wall_seconds:.1f}s)",
        flush=True,
    )
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
