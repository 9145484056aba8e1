"""Writes a long recording for the timeline benchmark by repeating the example conversation:
avatar.wav, user.wav (16 kHz mono PCM) and user_motion.csv, each N times back to back, so that
every measure of the session scales with its length and nothing else changes.

python3 bench/long-recording.py OUT_DIR SECONDS
"""
import csv
import sys
import wave
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "training" / "example"


def main() -> None:
    out, seconds = Path(sys.argv[1]), float(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for name in ("avatar.wav", "user.wav"):
        with wave.open(str(EXAMPLE / name)) as src:
            params, frames = src.getparams(), src.readframes(src.getnframes())
        want = int(seconds * params.framerate) * params.sampwidth * params.nchannels
        with wave.open(str(out / name), "wb") as dst:
            dst.setparams(params)
            dst.writeframes((frames * (want // len(frames) + 1))[:want])
    with open(EXAMPLE / "user_motion.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    fps = 25
    frame_col, time_col = header.index("frame"), header.index("time")
    with open(out / "user_motion.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(int(seconds * fps)):
            row = list(body[i % len(body)])
            row[frame_col], row[time_col] = str(i), f"{i / fps:.2f}"
            w.writerow(row)


if __name__ == "__main__":
    main()
