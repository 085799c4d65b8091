#!/usr/bin/python3
"""Host side of the system test: boots the guest under QEMU (TCG) and plays the hardware.

The guest's test runner (tests/system/guest/run-scenarios) drives the test. It talks to this
program over a virtio-serial port (org.hotseat.systest.0), one JSON object a line:
  guest -> host  {"ask": "monitor-plug"}              the display gets a size (VNC SetDesktopSize):
                                                      virtio-gpu's output is enabled
                 {"ask": "monitor-unplug"}            the display size 0x0: the output is disabled
                 {"ask": "usb-plug", "id": ID}        QMP device_add usb-kbd on the xHCI bus
                 {"ask": "usb-unplug", "id": ID}      QMP device_del, answered once QEMU says
                                                      DEVICE_DELETED
                 {"ask": "keys", "id": ID, "keys": [qcode, ...]}
                                                      QMP input-send-event to the keyboard bound
                                                      to the GPU's console (the one plugged last):
                                                      every key pressed in order, released in
                                                      reverse
                 {"result": NAME, "ok": BOOL, "seconds": S, "detail": TEXT}
                 {"record": NAME, "text": TEXT}       a measurement, appended to OUT/record-NAME.txt
                 {"summary": {...}}                   the last line: the run is over
  host -> guest  {"done": ASK, "ok": BOOL, "error": TEXT}
The guest's journal reaches the host on the second serial port (journald ForwardToConsole=), the
kernel console on the first: both are files in OUT, printed when the run fails.

Exit status: 0 when the summary arrived and every scenario passed; 1 otherwise (a failed
scenario, a missing summary within the deadline, QEMU dying).
"""
import argparse
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time


# The id scripts/system-test gives virtio-gpu-pci; keyboards are bound to its console.
GPU = "gpu"
# The display size a monitor "plugged" into virtio-gpu's output has.
MONITOR_SIZE = (1280, 800)


class Qmp:
    """A QMP client just big enough for device_add/device_del/input-send-event."""

    def __init__(self, path, deadline):
        self.sock = connect_unix(path, deadline)
        self.buf = b""
        self.events = []
        self.read_message()  # the greeting
        self.command("qmp_capabilities")

    def read_message(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **arguments):
        message = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.sock.sendall(json.dumps(message).encode() + b"\n")
        while True:
            reply = self.read_message()
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                raise RuntimeError(f"QMP {name}: {reply['error'].get('desc', reply['error'])}")
            return reply.get("return")

    def wait_event(self, name, device, timeout):
        """Waits for an event (DEVICE_DELETED of one device id) that may already have come."""
        end = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event["event"] == name and event.get("data", {}).get("device") == device:
                    self.events.remove(event)
                    return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.sock], [], [], left)
            if ready:
                message = self.read_message()
                if "event" in message:
                    self.events.append(message)


class Vnc:
    """An RFB client just big enough to change the size of QEMU's display (SetDesktopSize).

    That is how a monitor is plugged and unplugged on virtio-gpu: QEMU's display code hands the
    new size to the GPU (dpy_set_ui_info -> virtio_gpu_ui_info): a size enables the output, 0x0
    disables it, and either raises VIRTIO_GPU_EVENT_DISPLAY; the guest's driver re-reads the
    display info and the kernel sends the card's HOTPLUG uevent. The same path a GTK window
    resize or a SPICE client's monitor configuration takes (docs/testing.md).
    """

    def __init__(self, path, deadline):
        self.sock = connect_unix(path, deadline)
        self.size = None
        self.sock.settimeout(30)
        version = self.read_exactly(12)
        if not version.startswith(b"RFB "):
            raise RuntimeError(f"VNC: not an RFB server: {version!r}")
        self.sock.sendall(b"RFB 003.008\n")
        count = self.read_exactly(1)[0]
        types = self.read_exactly(count)
        if 1 not in types:  # 1 = no authentication
            raise RuntimeError(f"VNC: security types {list(types)} lack None")
        self.sock.sendall(bytes([1]))
        if struct.unpack(">I", self.read_exactly(4))[0] != 0:
            raise RuntimeError("VNC: security handshake failed")
        self.sock.sendall(bytes([1]))  # ClientInit: shared
        _width, _height = struct.unpack(">HH", self.read_exactly(4))
        self.read_exactly(16)  # pixel format
        name_length = struct.unpack(">I", self.read_exactly(4))[0]
        self.read_exactly(name_length)
        # SetEncodings: Raw and ExtendedDesktopSize (-308), which SetDesktopSize belongs to.
        self.sock.sendall(struct.pack(">BxHii", 2, 2, 0, -308))
        self.sock.setblocking(False)

    def read_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("VNC connection closed")
            data += chunk
        return data

    def drain(self):
        # QEMU answers with a framebuffer update carrying the resize's status: not needed.
        try:
            while self.sock.recv(65536):
                pass
        except BlockingIOError:
            pass

    def set_size(self, width, height):
        # QEMU ignores a size equal to the last one it was given, and it starts from 0x0 (while
        # virtio-gpu's first output starts enabled): the first unplug needs a size before it.
        if (width, height) == (0, 0) and self.size is None:
            self.send_size(*MONITOR_SIZE)
        self.send_size(width, height)

    def send_size(self, width, height):
        self.drain()
        screen = struct.pack(">IHHHHI", 0, 0, 0, width, height, 0)
        self.sock.sendall(struct.pack(">BxHHBx", 251, width, height, 1) + screen)
        self.size = (width, height)


def connect_unix(path, deadline):
    # QEMU creates its listening sockets while it starts; retry until they exist.
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() > deadline:
                raise RuntimeError(f"QEMU never opened {path}")
            time.sleep(0.05)


def key_event(qcode, down):
    return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}


def answer(ask, qmp, vnc):
    """Plays one piece of hardware the guest asked for. Returns (ok, error text)."""
    what = ask.get("ask")
    device = str(ask.get("id", ""))
    try:
        if what == "monitor-plug":
            vnc.set_size(*MONITOR_SIZE)
        elif what == "monitor-unplug":
            vnc.set_size(0, 0)
        elif what == "usb-plug":
            # Bound to the GPU's console: input-send-event addresses a console, and then reaches
            # this keyboard rather than the machine's PS/2 one.
            qmp.command("device_add", driver="usb-kbd", id=device, bus="xhci.0", display=GPU)
        elif what == "usb-unplug":
            qmp.command("device_del", id=device)
            if not qmp.wait_event("DEVICE_DELETED", device, 60):
                return False, f"no DEVICE_DELETED for {device} within 60 s"
        elif what == "keys":
            keys = [str(k) for k in ask.get("keys", [])]
            for key in keys:
                qmp.command("input-send-event", device=GPU, events=[key_event(key, True)])
            for key in reversed(keys):
                qmp.command("input-send-event", device=GPU, events=[key_event(key, False)])
        else:
            return False, f"unknown request {what!r}"
    except (RuntimeError, OSError) as error:
        return False, str(error)
    return True, ""


def print_file(title, path, tail_lines=None):
    print(f"----- {title} ({path}) -----")
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as error:
        print(f"(cannot read: {error})")
        return
    if tail_lines is not None and len(lines) > tail_lines:
        print(f"(last {tail_lines} of {len(lines)} lines)")
        lines = lines[-tail_lines:]
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="directory for sockets, logs and records")
    parser.add_argument("--deadline", type=float, default=900,
                        help="seconds from QEMU's start until the summary must have arrived "
                             "(a bound against a hang, not a performance assertion)")
    parser.add_argument("qemu", nargs=argparse.REMAINDER, help="-- QEMU command line")
    args = parser.parse_args()
    qemu_cmd = args.qemu[1:] if args.qemu[:1] == ["--"] else args.qemu
    out = args.out
    channel_path = os.path.join(out, "channel.sock")
    qmp_path = os.path.join(out, "qmp.sock")

    started = time.monotonic()
    deadline = started + args.deadline
    with open(os.path.join(out, "qemu.log"), "wb") as qemu_log:
        qemu = subprocess.Popen(qemu_cmd, stdin=subprocess.DEVNULL, stdout=qemu_log, stderr=qemu_log)
    results, summary, failure = [], None, None
    try:
        qmp = Qmp(qmp_path, deadline)
        vnc = Vnc(os.path.join(out, "vnc.sock"), deadline)
        channel = connect_unix(channel_path, deadline)
        buf = b""
        while summary is None:
            if qemu.poll() is not None:
                failure = f"QEMU exited ({qemu.returncode}) before the summary"
                break
            left = deadline - time.monotonic()
            if left <= 0:
                failure = f"no summary within {args.deadline:.0f} s"
                break
            ready, _, _ = select.select([channel], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = channel.recv(65536)
            if not chunk:
                failure = "the guest channel closed before the summary"
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                try:
                    message = json.loads(raw)
                except ValueError:
                    print(f"host: not JSON from the guest: {raw[:200]!r}")
                    continue
                at = time.monotonic() - started
                if "ask" in message:
                    ok, error = answer(message, qmp, vnc)
                    print(f"host: [{at:6.1f} s] {message['ask']} {message.get('id', '')} "
                          f"{'done' if ok else 'FAILED: ' + error}", flush=True)
                    reply = {"done": message["ask"], "ok": ok, "error": error}
                    channel.sendall(json.dumps(reply).encode() + b"\n")
                elif "result" in message:
                    results.append(message)
                    verdict = "PASS" if message.get("ok") else "FAIL"
                    print(f"[{at:6.1f} s] {verdict} {message['result']} "
                          f"({message.get('seconds', 0)} s) {message.get('detail', '')}", flush=True)
                elif "record" in message:
                    name = "".join(c for c in str(message["record"]) if c.isalnum() or c in "-_")
                    with open(os.path.join(out, f"record-{name}.txt"), "a") as f:
                        f.write(str(message.get("text", "")) + "\n")
                elif "summary" in message:
                    summary = message["summary"]
                elif "note" in message:
                    print(f"guest: [{at:6.1f} s] {message['note']}", flush=True)
    except (RuntimeError, OSError) as error:
        failure = str(error)
    finally:
        if qemu.poll() is None:
            # The guest powers itself off after the summary; give it a moment, then end QEMU.
            try:
                qemu.wait(timeout=30 if summary is not None else 0.1)
            except subprocess.TimeoutExpired:
                qemu.kill()
                qemu.wait()

    elapsed = time.monotonic() - started
    passed = sum(1 for r in results if r.get("ok"))
    failed = len(results) - passed
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump({"summary": summary, "results": results, "failure": failure,
                   "seconds": round(elapsed, 1)}, f, indent=1)
    if summary is not None and failed == 0 and passed > 0 and summary.get("failed", 1) == 0:
        print(f"system test: {passed} passed, 0 failed ({elapsed:.0f} s from QEMU's start)")
        return 0
    if failure:
        print(f"system test: {failure}")
    print_file("guest journal (serial port 2)", os.path.join(out, "journal.log"))
    print_file("guest console (serial port 1)", os.path.join(out, "console.log"), 200)
    print_file("QEMU", os.path.join(out, "qemu.log"), 50)
    print(f"{passed} passed, {max(failed, 1 if summary is None else failed)} failed")
    return 1


if __name__ == "__main__":
    sys.exit(main())
