#!/usr/bin/env python3
"""Timing harness for benches/compare/run.sh (run that script, not this file).

Runs every job RUNS times as a cold process, interleaved (run 1 of every job, then run 2, ...)
so that noise from a shared machine spreads over all tools alike. Per run: wall time
(perf_counter around fork/exec/wait) and peak RSS from wait4() (the largest single process of
the tree, the number GNU `time -f %M` prints). One extra, untimed run per job samples the
summed RSS of the whole process tree every 5 ms (Marp starts Node plus several Chromium
processes). Each run's outputs are checked (PDF header, 6 PNGs at 1080x1350) before it counts.

Environment, set by run.sh: ROOT, HERE, RUNS, CAROUSEL, TYPST (CLI path, may be empty),
TYPST_PY (python with the `typst` module, may be empty), MARP, CHROME_PATH; KEEP=1 keeps
the output folders (their path is printed) to look at.
"""
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.environ["ROOT"]
HERE = os.environ["HERE"]
RUNS = int(os.environ.get("RUNS", "10"))
CAROUSEL = os.environ["CAROUSEL"]
TYPST = os.environ.get("TYPST", "")
TYPST_PY = os.environ.get("TYPST_PY", "")
MARP = os.environ["MARP"]
FONTS = os.path.join(ROOT, "fonts")
DECK = os.path.join(ROOT, "decks", "day5.yaml")
TYP = os.path.join(HERE, "day5.typ")
MD = os.path.join(HERE, "day5.md")
THEME = os.path.join(HERE, "day5-theme.css")
WIDTH, HEIGHT, SLIDES = 1080, 1350, 6

MARP_ENV = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                # root needs --no-sandbox (marp-cli adds it for uid 0 or with this variable);
                # CHROME_DISABLE_GPU adds --disable-gpu. Puppeteer's defaults already pass
                # --disable-background-networking and --no-first-run; marp-cli adds
                # --disable-component-update.
                CHROME_NO_SANDBOX="1", CHROME_DISABLE_GPU="1")
MARP_COMMON = [MARP, "--no-config-file", "--html", "--allow-local-files", "--theme-set", THEME]

TYPST_PY_SNIPPET = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
                    "font_paths=[sys.argv[3]], ignore_system_fonts=True, ppi=96, format=sys.argv[4])")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path}: not a PNG")
    return struct.unpack(">II", head[16:24])


def check_pngs(paths):
    if len(paths) != SLIDES:
        return f"expected {SLIDES} PNGs, found {len(paths)}"
    for p in paths:
        w, h = png_size(p)
        if (w, h) != (WIDTH, HEIGHT):
            return f"{os.path.basename(p)} is {w}x{h}, not {WIDTH}x{HEIGHT}"
    return None


def check_pdf(path):
    if not os.path.isfile(path):
        return f"no {os.path.basename(path)}"
    with open(path, "rb") as f:
        if f.read(5) != b"%PDF-":
            return f"{path} is not a PDF"
    return None


def pngs_in(d, prefix=""):
    return sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".png") and n.startswith(prefix))


class Job:
    """name, output, command(dir) -> argv, check(dir) -> error or None; fresh dir per run
    unless `same_dir` (then `prepare(dir)` runs once, untimed)."""

    def __init__(self, tool, output, argv, check, cwd, env=None, same_dir=False, prepare=None):
        self.tool, self.output, self.argv, self.check = tool, output, argv, check
        self.cwd, self.env, self.same_dir, self.prepare = cwd, env, same_dir, prepare
        self.walls, self.rss, self.tree = [], [], None
        self.dir = None

    def workdir(self, base):
        if self.same_dir:
            if self.dir is None:
                self.dir = tempfile.mkdtemp(dir=base)
                if self.prepare:
                    self.prepare(self.dir)
            return self.dir
        return tempfile.mkdtemp(dir=base)


def run_once(job, d, sample_tree=False):
    argv = job.argv(d)
    errf = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=job.cwd, env=job.env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=errf)
    peak_tree = [0]
    stop = threading.Event()
    if sample_tree:
        threading.Thread(target=sample, args=(p.pid, stop, peak_tree), daemon=True).start()
    # wait4: rusage of this child and its reaped descendants.
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    errf.seek(0)
    err = errf.read().decode(errors="replace")
    errf.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"FAILED: {job.tool} {job.output}: exit {p.returncode}\n  {' '.join(argv)}\n{err[-2000:]}")
    problem = job.check(d)
    if problem:
        sys.exit(f"FAILED: {job.tool} {job.output}: {problem}\n  {' '.join(argv)}\n{err[-2000:]}")
    return wall, ru.ru_maxrss / 1024.0, peak_tree[0] / 1024.0  # KiB -> MiB


def descendants(pid):
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def sample(pid, stop, peak):
    while not stop.is_set():
        total = 0
        for p in descendants(pid):
            try:
                with open(f"/proc/{p}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                            break
            except OSError:
                pass
        peak[0] = max(peak[0], total)
        stop.wait(0.005)


def carousel_check(d):
    return check_pdf(os.path.join(d, "day5.pdf")) or check_pngs(pngs_in(os.path.join(d, "day5")))


def typst_argv(fmt):
    def argv(d):
        out = os.path.join(d, "day5.pdf" if fmt == "pdf" else "out-{p}.png")
        if TYPST:
            cmd = [TYPST, "compile", "--font-path", FONTS, "--ignore-system-fonts"]
            if fmt == "png":
                cmd += ["--ppi", "96"]
            return cmd + [TYP, out]
        return [TYPST_PY, "-c", TYPST_PY_SNIPPET, TYP, out, FONTS, fmt]
    return argv


def jobs():
    carousel_build = lambda d: [CAROUSEL, "build", DECK, "-o", d]
    js = [
        Job("carousel", "6 PNG + PDF", carousel_build, carousel_check, ROOT),
        Job("carousel rebuild, unchanged", "6 PNG + PDF", carousel_build, carousel_check, ROOT,
            same_dir=True,
            prepare=lambda d: subprocess.run(carousel_build(d), cwd=ROOT, check=True,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)),
    ]
    typst = "Typst" if TYPST else "Typst (typst-py, python process)"
    js += [
        Job(typst, "PDF", typst_argv("pdf"), lambda d: check_pdf(os.path.join(d, "day5.pdf")), HERE),
        Job(typst, "6 PNG", typst_argv("png"), lambda d: check_pngs(pngs_in(d, "out-")), HERE),
        Job("Marp CLI", "PDF", lambda d: MARP_COMMON + ["--pdf", "-o", os.path.join(d, "day5.pdf"), MD],
            lambda d: check_pdf(os.path.join(d, "day5.pdf")), HERE, env=MARP_ENV),
        Job("Marp CLI", "6 PNG", lambda d: MARP_COMMON + ["--images", "png", "-o", os.path.join(d, "day5.png"), MD],
            lambda d: check_pngs(pngs_in(d, "day5.")), HERE, env=MARP_ENV),
    ]
    return js


def fmt_s(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def main():
    base = tempfile.mkdtemp(prefix="carousel-compare-runs.")
    try:
        js = jobs()
        print(f"warm-up (untimed, outputs checked) ...", file=sys.stderr)
        for j in js:
            d = j.workdir(base)
            _, _, j.tree = run_once(j, d, sample_tree=True)
        for i in range(RUNS):
            print(f"run {i + 1}/{RUNS} ...", file=sys.stderr)
            for j in js:
                wall, rss, _ = run_once(j, j.workdir(base))
                j.walls.append(wall)
                j.rss.append(rss)
        report(js)
    finally:
        if os.environ.get("KEEP"):
            print(f"\noutputs kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


def report(js):
    by = {(j.tool, j.output): j for j in js}
    print(f"\n{RUNS} runs each, cold processes, interleaved; wall = median (min), memory = median peak RSS "
          "of the largest process (wait4, as GNU time %M) and the whole process tree (sampled, 1 run)\n")
    print("| tool | output | median wall | min wall | peak RSS | tree RSS |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for j in js:
        print(f"| {j.tool} | {j.output} | {fmt_s(statistics.median(j.walls))} | {fmt_s(min(j.walls))} "
              f"| {statistics.median(j.rss):.0f} MiB | {j.tree:.0f} MiB |")
    med = lambda j: statistics.median(j.walls)
    cold = js[0]
    warm = js[1]
    typst_png = js[3]
    marp_png = js[5]
    r_t = med(cold) / med(typst_png)
    r_tw = med(warm) / med(typst_png)
    r_m = med(marp_png) / med(cold)
    mem_c, mem_t = statistics.median(cold.rss), statistics.median(typst_png.rss)
    ok = lambda b: "ok" if b else "MISSED"
    print()
    print(f"carousel vs {typst_png.tool} 6 PNG: {r_t:.2f} of its time (target <= 0.5) {ok(r_t <= 0.5)}")
    print(f"carousel rebuild, unchanged vs {typst_png.tool} 6 PNG: {r_tw:.2f} of its time")
    print(f"carousel vs Marp PNG: 1/{r_m:.0f} (target >= 40) {ok(r_m >= 40)}")
    print(f"carousel peak memory vs {typst_png.tool} 6 PNG: {mem_c:.0f} MiB vs {mem_t:.0f} MiB "
          f"(target: below) {ok(mem_c < mem_t)}")
    if not TYPST:
        print("note: no Typst CLI; Typst rows time `python3 -c 'import typst; typst.compile(...)'` as a "
              "process (same compiler in-process, plus Python start-up and module load)")


if __name__ == "__main__":
    main()
