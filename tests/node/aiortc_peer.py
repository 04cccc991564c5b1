#!/usr/bin/python3
"""An aiortc (Debian's python3-aiortc) WebRTC peer driven over JSON lines, for the node tests.

Run with Debian's /usr/bin/python3. Each line on stdin is a command {"id": N, "op": ..., ...}; each line on stdout is
the reply {"id": N, "ok": true, ...} or {"id": N, "ok": false, "error": "..."}. Nothing else is written to stdout (logs
go to stderr). Peer connections are named by the caller ("pc"), so one process can publish and subscribe at once.

Operations:
  publish {pc}                 a sendonly Opus tone and a VP8 moving picture: returns the offer {sdp}
  subscribe {pc}               recvonly audio and video (the browser's "kurento" flow): returns the offer {sdp}
  accept {pc, sdp}             sets a subscriber's remote offer (the "mediasoup" flow): returns the answer {sdp}
  answer {pc, sdp}             sets the remote answer to an offer made by publish or subscribe
  stats {pc}                   connection states, RTP counters and what the tracks received (frames, sizes, energy)
  close {pc}
"""
import asyncio
import fractions
import json
import logging
import math
import os
import sys
import time

import numpy
from av import AudioFrame, VideoFrame
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from aiortc.mediastreams import MediaStreamError

WIDTH, HEIGHT = 320, 240
SAMPLE_RATE = 48000
PTIME = 0.02


class ToneTrack(MediaStreamTrack):
    """A 440 Hz sine at half scale, 20 ms frames, paced in real time."""

    kind = "audio"

    def __init__(self):
        super().__init__()
        self._start = None
        self._samples = 0

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        count = int(SAMPLE_RATE * PTIME)
        if self._start is None:
            self._start = time.time()
        else:
            self._samples += count
            await asyncio.sleep(self._start + self._samples / SAMPLE_RATE - time.time())
        t = (numpy.arange(count) + self._samples) / SAMPLE_RATE
        samples = (numpy.sin(2 * math.pi * 440 * t) * 16000).astype(numpy.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._samples
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame


class PatternTrack(VideoStreamTrack):
    """A 320x240 picture whose colour bars move one step each frame (30 frames a second)."""

    def __init__(self):
        super().__init__()
        self._index = 0
        x = numpy.arange(WIDTH)
        self._bars = numpy.stack([(x * 7) % 256, (x * 3 + 85) % 256, (x * 5 + 170) % 256], axis=-1).astype(numpy.uint8)

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        row = numpy.roll(self._bars, self._index * 4, axis=0)
        image = numpy.ascontiguousarray(numpy.broadcast_to(row, (HEIGHT, WIDTH, 3)))
        self._index += 1
        frame = VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


class Reception:
    """Reads one received track to its end, counting what was decoded."""

    def __init__(self, track):
        self.kind = track.kind
        self.frames = 0
        self.width = 0
        self.height = 0
        self.energy = 0.0
        self.task = asyncio.ensure_future(self._read(track))

    async def _read(self, track):
        try:
            while True:
                frame = await track.recv()
                self.frames += 1
                if self.kind == "video":
                    self.width, self.height = frame.width, frame.height
                else:
                    samples = frame.to_ndarray().astype(numpy.float64) / 32768.0
                    self.energy += float(numpy.mean(samples * samples)) * frame.samples / frame.sample_rate
        except MediaStreamError:
            pass

    def describe(self):
        return {"kind": self.kind, "frames": self.frames, "width": self.width, "height": self.height, "energy": self.energy}


class Peer:
    def __init__(self):
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.receptions = []
        self.pc.on("track", lambda track: self.receptions.append(Reception(track)))

    async def offer(self):
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return {"sdp": self.pc.localDescription.sdp}

    async def stats(self):
        report = await self.pc.getStats()
        rtp = [
            {"type": s.type, "kind": getattr(s, "kind", None), "packets": getattr(s, "packetsSent", None) or getattr(s, "packetsReceived", None)}
            for s in report.values() if s.type in ("outbound-rtp", "inbound-rtp")
        ]
        return {
            "connectionState": self.pc.connectionState,
            "iceConnectionState": self.pc.iceConnectionState,
            "rtp": rtp,
            "received": [r.describe() for r in self.receptions],
        }


peers = {}


async def handle(command):
    op = command["op"]
    name = command.get("pc", "pc")
    if op == "publish":
        peer = peers[name] = Peer()
        peer.pc.addTransceiver(ToneTrack(), direction="sendonly")
        peer.pc.addTransceiver(PatternTrack(), direction="sendonly")
        return await peer.offer()
    if op == "subscribe":
        peer = peers[name] = Peer()
        peer.pc.addTransceiver("audio", direction="recvonly")
        peer.pc.addTransceiver("video", direction="recvonly")
        return await peer.offer()
    if op == "accept":
        peer = peers[name] = Peer()
        await peer.pc.setRemoteDescription(RTCSessionDescription(command["sdp"], "offer"))
        await peer.pc.setLocalDescription(await peer.pc.createAnswer())
        return {"sdp": peer.pc.localDescription.sdp}
    if op == "answer":
        await peers[name].pc.setRemoteDescription(RTCSessionDescription(command["sdp"], "answer"))
        return {}
    if op == "stats":
        return await peers[name].stats()
    if op == "close":
        peer = peers.pop(name)
        await peer.pc.close()
        return {}
    raise ValueError(f"unknown op {op}")


async def serve(command):
    try:
        reply = {"id": command.get("id"), "ok": True, **(await handle(command))}
    except Exception as e:  # every failure goes back to the test as an error reply
        reply = {"id": command.get("id"), "ok": False, "error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    pending = set()
    while line := await reader.readline():
        if line.strip():
            task = asyncio.ensure_future(serve(json.loads(line)))
            pending.add(task)
            task.add_done_callback(pending.discard)
    for peer in peers.values():
        await peer.pc.close()


if __name__ == "__main__":
    if os.environ.get("AIORTC_DEBUG"):  # aiortc's own debug log (ICE, DTLS, every RTP/RTCP packet) on stderr
        logging.basicConfig(level=logging.DEBUG, format="%(relativeCreated)d %(name)s %(message)s")
    asyncio.run(main())
