"""Offline front-end assets for the app: `siaga assets` fills Solara's asset cache once.

Solara's page loads its JavaScript and CSS (Vuetify app, RequireJS, Font Awesome, ...) from a CDN
at run time; without them the browser shows a blank page. Kecamatan halls often have no reliable
internet, so this module fetches the packages once from the npm registry (`npm pack`) and unpacks
each into Solara's proxy cache, one folder per literal spec (`requirejs@2.3.6/...`), which is where
Solara's server looks before it tries the CDN. After that the app runs with no network at all.

The cache folder is Solara's: `$SOLARA_ASSETS_PROXY_CACHE_DIR` if set, else
`<python prefix>/share/solara/cdn` (inside the virtual environment).
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# What solara 1.64.1 asks the CDN for (docs/APP.md, "Works offline"; found with
# grep -o "Could not load URL: '[^']*'" solara.log after one page load). Literal specs: Solara
# requests these exact strings, so "vega@5" is a folder name, not a range to resolve.
ASSET_SPECS: tuple[str, ...] = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "vega@5",
    "vega-lite@5",
    "vega-embed@6",
    "katex@0.16.9",
    "mermaid@10.8.0",
)

# The files without which the page stays blank (ipywidgets 8: the "...8" bundle).
ESSENTIAL_FILES: tuple[str, ...] = (
    "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js",
    "@widgetti/solara-vuetify-app@10.1.1/dist/main8.css",
    "requirejs@2.3.6/require.js",
    "font-awesome@4.5.0/css/font-awesome.min.css",
)

PREPARE_COMMAND = "siaga assets"


class AssetError(RuntimeError):
    """Assets could not be prepared; the message says why and what to do."""


def cache_dir() -> Path:
    """Solara's asset proxy cache, computed the way solara.server.settings does (without
    importing the server, which has side effects)."""
    env = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    if env:
        return Path(env)
    import solara

    userbase = site.getuserbase()
    prefix = userbase if userbase and solara.__file__.startswith(userbase) else sys.prefix
    return Path(prefix) / "share" / "solara" / "cdn"


def missing_assets(folder: Path | None = None) -> list[str]:
    """The essential files not in the cache (empty when the app can run offline)."""
    folder = folder or cache_dir()
    return [f for f in ESSENTIAL_FILES if not (folder / f).is_file()]


def missing_message(folder: Path | None = None) -> str:
    folder = folder or cache_dir()
    missing = missing_assets(folder)
    return (
        f"the app's offline front-end files are missing from {folder} "
        f"(e.g. {missing[0] if missing else '?'}); without them the browser shows a blank page.\n"
        f"Prepare them once (needs the npm registry, about 190 MB): {PREPARE_COMMAND}"
    )


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("`npm` was not found; install Node.js/npm (e.g. `apt-get install npm`) and run `siaga assets` again")
    return npm


def _unpack(tgz: Path, dest: Path) -> None:
    """Unpack an npm tarball (top folder `package/`) into `dest`, refusing paths that escape it."""
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()):
                continue
            parts = Path(member.name).parts[1:]  # strip "package/"
            if not parts or ".." in parts or Path(member.name).is_absolute():
                continue
            target = tmp.joinpath(*parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            if src is not None:
                with src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def prepare(folder: Path | None = None, force: bool = False, log=print) -> Path:
    """Fetch every asset package with `npm pack` and unpack it into the cache. Idempotent: a
    package already unpacked is skipped unless `force`."""
    folder = folder or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssetError(f"cannot create the asset folder {folder}: {exc.strerror or exc}") from None
    npm = None
    with tempfile.TemporaryDirectory(prefix="siaga-assets-") as work:
        for spec in ASSET_SPECS:
            dest = folder / spec
            if dest.is_dir() and any(dest.iterdir()) and not force:
                log(f"  ok      {spec}")
                continue
            npm = npm or _npm()
            proc = subprocess.run(
                [npm, "pack", spec, "--pack-destination", work, "--silent"],
                capture_output=True, text=True, cwd=work, check=False,
            )
            names = [line.strip() for line in proc.stdout.splitlines() if line.strip().endswith(".tgz")]
            if proc.returncode != 0 or not names:
                err = (proc.stderr or proc.stdout).strip().splitlines()
                raise AssetError(f"`npm pack {spec}` failed: {err[-1] if err else 'no output'} (is the npm registry reachable?)")
            tgz = Path(work) / names[-1]
            dest.parent.mkdir(parents=True, exist_ok=True)
            _unpack(tgz, dest)
            tgz.unlink()
            log(f"  fetched {spec}")
    missing = missing_assets(folder)
    if missing:
        raise AssetError(f"assets prepared but still missing: {', '.join(missing)}")
    return folder
