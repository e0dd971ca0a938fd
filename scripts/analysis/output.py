"""Writing a summary's outputs as one set: the CSVs, REPORT.md and plots/ of one summary replace the previous set
together. One summary writes at a time (an exclusive lock on `.summary.lock` in the folder: a second one waits),
every file is written under a name of its own and renamed into place, and plots/ is drawn into a new folder that
replaces the old one whole, so no plot of an earlier summary stays behind.
"""

import contextlib
import fcntl
import os
import shutil
import tempfile

LOCK = ".summary.lock"


@contextlib.contextmanager
def locked(folder):
    """Hold the folder's summary lock for the block; another summary of the same folder waits for it."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, LOCK), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def replace_file(path, write):
    """`write(temporary path)`, then rename it to `path`: a reader sees the old file or the new one, whole."""
    handle, partial = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix="." + os.path.basename(path) + ".")
    os.close(handle)
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def replace_csv(frame, path):
    replace_file(path, lambda partial: frame.to_csv(partial, index=False))


def replace_text(text, path):
    def write(partial):
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)

    replace_file(path, write)


def replace_folder(path, fill):
    """`fill(new folder)`, then put the new folder in place of `path` and delete the old one."""
    parent = os.path.dirname(path) or "."
    fresh = tempfile.mkdtemp(dir=parent, prefix="." + os.path.basename(path) + ".new.")
    try:
        result = fill(fresh)
        os.chmod(fresh, 0o755)
        if os.path.isdir(path):
            old = tempfile.mkdtemp(dir=parent, prefix="." + os.path.basename(path) + ".old.")
            os.rename(path, os.path.join(old, "gone"))
            os.rename(fresh, path)
            shutil.rmtree(old)
        else:
            os.rename(fresh, path)
        return result
    finally:
        if os.path.isdir(fresh):
            shutil.rmtree(fresh)
