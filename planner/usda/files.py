"""What the builders record about each raw USDA file they read: size, checksum, records."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_record(path: Path, records: int, reference_sha256: str | None) -> dict:
    """The provenance entry of one source file: checksum, bytes, records, and whether it is
    byte for byte the reference copy the project was built from."""
    sha = sha256_of(path)
    return {
        "sha256": sha,
        "bytes": Path(path).stat().st_size,
        "records": int(records),
        "matches_reference_copy": sha == reference_sha256,
    }
