"""The build cache: each plan's parse kept, so a rebuild parses only the files that changed.

An entry is one plan's :class:`~planlib.build.pipeline.PlanResult` (its targets, schools,
findings, self-description and term counts), stored under a key made of

- the SHA-256 of the file's bytes and the name it is cited by (``source_file``: the slug is in
  every row),
- the planlib version and a hash of planlib's code and data files (every ``*.py`` of the package and
  every file in ``planlib/data``: the rules, dictionaries and word lists a parse reads).

So a changed file, a new planlib, or an edited rule or dictionary is parsed afresh; a removed file
is simply not asked for. What reads the whole corpus (corrections, the comparison, derived measures,
distinctive terms, ``sources.csv``) is never cached: a build reruns it from the entries. The cross-row
checks look at one plan at a time: their findings are kept by the same keys (``checks.pkl``:
:class:`ChecksMemo`), so a rebuild checks only the plans that changed or that a correction touches. Entries are written through a temporary file and renamed (a reader never
sees half an entry); each starts with a checksum of its content, and an entry that does not match
it (cut short, damaged) is ignored with a warning and the plan parsed again. planlib writes only
``plans/*.pkl`` (and their temporaries), ``checks.pkl``, a ``CACHEDIR.TAG`` and the terms step's part-of-speech tags
(``noise_terms.json``: :class:`planlib.teach.textmine.NoiseMemo`) in the folder, and deletes nothing;
``rm -r .cache/planlib`` empties it.

Entries are pickles: the cache folder is as trusted as the code that reads it (like ``.venv``),
so do not fill it from elsewhere. The checksum guards against damage, not against forgery.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import struct
import warnings
import zlib
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from .. import __version__

MAGIC = b"planlib-cache 4\n"  # then the SHA-256 of the rest, then the codec's name, the pickle's size, the compressed pickle
#: Marks the folder as a cache for backup tools (https://bford.info/cachedir/).
TAG = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This folder is a cache written by planlib (planlib build); it can be deleted.\n")

#: zstd (pyarrow's, level 1): about as small as zlib level 1 and 2-3 times faster both ways; zlib where a pyarrow lacks it
CODEC = "zstd" if pa.Codec.is_available("zstd") else "zlib"
_HEAD = struct.Struct("<4sQ")  # codec name, size of the pickle


def _compress(data: bytes) -> bytes:
    if CODEC == "zlib":
        packed = zlib.compress(data, 1)
    else:
        packed = pa.Codec(CODEC, 1).compress(data, asbytes=True)
    return _HEAD.pack(CODEC.encode(), len(data)) + packed


def _decompress(payload: bytes) -> bytes:
    codec, size = _HEAD.unpack_from(payload)
    body = payload[_HEAD.size:]
    if codec == b"zlib":
        return zlib.decompress(body)
    return pa.Codec(codec.decode()).decompress(body, size, asbytes=True)


class CacheWarning(UserWarning):
    """A cache entry could not be read or written; the plan is parsed instead."""


@lru_cache(maxsize=4)
def code_fingerprint(package: Path | None = None) -> str:
    """Hash of the planlib version and of every file its parse may read: the package's code and data.

    ``package``: the folder of the package (default: this planlib's).
    """
    package = Path(package) if package is not None else Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"planlib {__version__}\0".encode())
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and (p.suffix == ".py" or "data" in p.relative_to(package).parts[:1]))
    for p in files:
        h.update(p.relative_to(package).as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def result_key(digest: str, cited: str) -> str:
    """The key of a plan whose bytes have the SHA-256 ``digest`` and which is cited as ``cited``, for this planlib."""
    return hashlib.sha256(f"{digest}\0{cited}\0{code_fingerprint()}".encode()).hexdigest()


#: In the cache folder: each plan's cross-row check findings (:class:`ChecksMemo`).
CHECKS_MEMO = "checks.pkl"


class ChecksMemo:
    """Each plan's cross-row check findings (:func:`planlib.build.checks.cross_row_findings`) by the plan's key.

    The checks look at one plan's rows at a time, and a plan's rows are what its key says (its
    bytes, name and this planlib's code, rules and dictionary), so a rebuild checks only the plans that
    changed; a plan a correction touches is always checked again (its rows are not the parsed ones).
    One file, replaced whole by each build with the plans of that build (a removed plan drops out);
    an unreadable one is taken as empty.
    """

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / CHECKS_MEMO
        try:
            data = self.path.read_bytes()
            head = len(MAGIC)
            if not data.startswith(MAGIC) or hashlib.sha256(data[head + 32:]).digest() != data[head:head + 32]:
                raise ValueError("damaged")
            self.plans: dict[str, dict] = pickle.loads(_decompress(data[head + 32:]))
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, struct.error):
            self.plans = {}

    def get(self, key: str) -> dict | None:
        return self.plans.get(key)

    def save(self, plans: dict[str, dict]) -> None:
        """Replace the memo with ``plans`` (key -> findings); a cache that cannot be written only warns."""
        payload = _compress(pickle.dumps(plans, protocol=pickle.HIGHEST_PROTOCOL))
        tmp = self.path.with_name(f".{self.path.name}-{secrets.token_hex(4)}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(tmp, MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, self.path)
        except OSError as exc:
            warnings.warn(f"{self.path.parent}: cannot write the cache ({exc.strerror or exc}); the build goes on "
                          "without it", CacheWarning, stacklevel=2)
        finally:
            if tmp.exists():
                tmp.unlink()


def encode_entry(result) -> bytes:
    """``result`` as a cache entry's bytes: :data:`MAGIC`, the SHA-256 of the rest, the compressed pickle.

    A worker process makes it once and sends it: the driver writes it to the cache as it is and
    decodes it (:func:`decode_entry`), instead of unpickling a result and pickling it again, and
    the pipe carries the compressed bytes (5-8 times smaller).
    """
    # a plan's entry shrinks 5-8 times (term counts and quotes repeat) for well under a millisecond
    payload = _compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return MAGIC + hashlib.sha256(payload).digest() + payload


def decode_entry(data: bytes, check: bool = True):
    """The result in the entry ``data`` (:func:`encode_entry`); ``check``: refuse a damaged one (ValueError)."""
    head = len(MAGIC)
    payload = data[head + 32:]
    if check and (not data.startswith(MAGIC) or hashlib.sha256(payload).digest() != data[head:head + 32]):
        raise ValueError("damaged cache entry (checksum does not match)")
    return pickle.loads(_decompress(payload))


class PlanCache:
    """Per-plan results in ``folder/plans/<key>.pkl``."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.entries = self.folder / "plans"
        self._digests: dict[str, str] = {}  # key -> sha256 of the bytes it was made from

    def key(self, path: Path) -> str:
        """The key of ``path`` as it is now: its bytes, the name it is cited by, this planlib."""
        from ..read.text import PlanText

        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        cited = PlanText(path=Path(path), text="", encoding="", sha256="", n_bytes=0, lines=()).source_file
        key = result_key(digest, cited)
        self._digests[key] = digest
        return key

    def _entry(self, key: str) -> Path:
        return self.entries / f"{key}.pkl"

    def get(self, key: str, path: Path | None = None):
        """The cached result for ``key``, or None (missing, or damaged: then with a warning)."""
        entry = self._entry(key)
        try:
            data = entry.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            warnings.warn(f"{entry}: cannot read this cache entry ({exc.strerror or exc}); parsing "
                          f"{path or 'the plan'} again", CacheWarning, stacklevel=2)
            return None
        head = len(MAGIC)
        payload = data[head + 32:]
        if not data.startswith(MAGIC) or hashlib.sha256(payload).digest() != data[head:head + 32]:
            warnings.warn(f"{entry}: damaged cache entry (checksum does not match); parsing "
                          f"{path or 'the plan'} again", CacheWarning, stacklevel=2)
            return None
        try:
            return decode_entry(data, check=False)
        except Exception as exc:  # written by another planlib whose classes differ
            warnings.warn(f"{entry}: unreadable cache entry ({type(exc).__name__}: {exc}); parsing "
                          f"{path or 'the plan'} again", CacheWarning, stacklevel=2)
            return None

    def put(self, key: str, result, data: bytes | None = None) -> None:
        """Store ``result`` under ``key`` atomically; a cache that cannot be written only warns.

        ``data``: ``result`` as :func:`encode_entry` made it (in a worker), written as it is rather than
        made again here. Not stored if the file changed between :meth:`key` and its parse (the
        result's sha256 differs).
        """
        if key in self._digests and result.meta.get("sha256") != self._digests[key]:
            return
        if data is None:
            data = encode_entry(result)
        entry = self._entry(key)
        tmp = entry.with_name(f".{entry.name}-{secrets.token_hex(4)}.tmp")
        try:
            self.entries.mkdir(parents=True, exist_ok=True)
            tag = self.folder / TAG
            if not tag.exists():
                _write_new(tag, TAG_TEXT.encode())
            _write_new(tmp, data)
            os.replace(tmp, entry)
        except OSError as exc:
            warnings.warn(f"{self.folder}: cannot write the cache ({exc.strerror or exc}); the build goes on "
                          "without it", CacheWarning, stacklevel=2)
        finally:
            if tmp.exists():
                tmp.unlink()  # ours: a temporary name we just made


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (never an existing file) and write ``data``; another writer's tag wins the race."""
    try:
        with open(path, "xb") as fh:
            fh.write(data)
    except FileExistsError:
        if path.name != TAG:
            raise
