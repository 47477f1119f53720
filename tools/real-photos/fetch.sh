#!/usr/bin/env bash
# Fetches the real outdoor photos the real-photo evaluation edits, from Debian desktop-wallpaper packages, into a
# git-ignored folder (default: tools/real-photos/photos/ beside this script), and writes manifest.tsv there: per photo
# the package, its version, the file inside it, and the licence and copyright read from the package's own
# usr/share/doc/<package>/copyright (DEP-5). A photo whose licence is not on the allow-list below is refused.
#   tools/real-photos/fetch.sh [DIR]
# Idempotent: when DIR already holds the manifest and every photo it lists, nothing is downloaded. Needs apt-get and
# dpkg-deb (Debian, Ubuntu); packages are downloaded, never installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-$here/photos}"
manifest="$dest/manifest.tsv"

# The photos, chosen for what the default model knows (grass, trees, paths, hills, sky, cloud) before any was edited:
# package | path inside the package | name in DIR | where the package names the author, when its copyright file does not.
selection=(
  "lomiri-wallpapers-16.04|usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg|aitzgorri.jpg|"
  "lomiri-wallpapers-16.04|usr/share/backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg|picosdeeuropa.jpg|"
  "lomiri-wallpapers-16.04|usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg|life.jpg|"
  "lomiri-wallpapers-16.04|usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg|sunset.jpg|"
  "plasma-workspace-wallpapers|usr/share/wallpapers/Path/contents/images/2560x1600.jpg|path.jpg|usr/share/wallpapers/Path/metadata.json"
  "plasma-workspace-wallpapers|usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg|evening-glow.jpg|usr/share/wallpapers/EveningGlow/metadata.json"
  "mate-backgrounds|usr/share/backgrounds/mate/nature/Storm.jpg|storm.jpg|"
  "mate-backgrounds|usr/share/backgrounds/mate/nature/Dune.jpg|dune.jpg|"
)

# Licences that allow keeping and redistributing the photos (SPDX-style names as Debian's copyright files spell them).
allowed_licences=" CC0-1.0 CC-BY-3.0 CC-BY-4.0 CC-BY-SA-3.0 CC-BY-SA-4.0 GPL-2+ GPL-3+ LGPL-2.1+ LGPL-3 LGPL-3+ Expat "

fail() { echo "fetch.sh: $*" >&2; exit 1; }

complete() {
  [[ -f "$manifest" ]] || return 1
  local entry name
  for entry in "${selection[@]}"; do
    IFS='|' read -r _ _ name _ <<<"$entry"
    [[ -s "$dest/$name" ]] || return 1
  done
}

if complete; then
  echo "fetch.sh: the ${#selection[@]} photos and their manifest are already in $dest"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available: run this on Debian or Ubuntu (or copy the photos listed in $here/README.md into $dest by hand)."
command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb is not available: run this on Debian or Ubuntu."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The DEP-5 stanza that governs a file is the last one whose Files: patterns match it. Patterns name paths in the
# source tree, which packages install elsewhere (lomiri's 16.04/x.jpg goes to usr/share/backgrounds/x.jpg), so a pattern
# matches when the installed path ends with it or, failing that, names the same file ('*' matches everything).
# Prints "licence<TAB>copyright" (copyright lines joined with "; ").
licence_of() {
  local copyright="$1" path="$2"
  awk -v path="$path" '
    function flush() {
      if (files != "" && lic != "") {
        n = split(files, pats, " ")
        for (i = 1; i <= n; i++) {
          pat = pats[i]
          if (pat == "*" || (length(path) >= length(pat) && substr(path, length(path) - length(pat) + 1) == pat) ||
              (pat ~ /\*/ && path ~ glob(pat)) || (pat !~ /\*/ && base(pat) == base(path))) { found_lic = lic; found_cr = cr; break }
        }
      }
      files = ""; lic = ""; cr = ""; field = ""
    }
    function base(p) { sub(/.*\//, "", p); return p }
    function glob(p) { gsub(/[.+^$(){}|\[\]]/, "\\\\&", p); gsub(/\*/, ".*", p); gsub(/\?/, ".", p); return "(^|/)" p "$" }
    /^[[:space:]]*$/ { flush(); next }
    /^Files:/ { field = "files"; sub(/^Files:[[:space:]]*/, ""); files = $0; next }
    /^Copyright:/ { field = "cr"; sub(/^Copyright:[[:space:]]*/, ""); cr = $0; next }
    /^License:/ { field = "lic"; sub(/^License:[[:space:]]*/, ""); lic = $0; next }
    /^[^[:space:]]/ { field = ""; next }
    /^[[:space:]]/ {
      line = $0; sub(/^[[:space:]]+/, "", line)
      if (field == "files") files = files " " line
      else if (field == "cr") cr = cr "; " line
      next
    }
    END { flush(); if (found_lic != "") printf "%s\t%s\n", found_lic, found_cr }
  ' "$copyright"
}

declare -A downloaded=()
tmp_manifest="$work/manifest.tsv"
printf 'file\tpackage\tversion\tpath_in_package\tlicence\tcopyright\tauthor\tsha256\n' >"$tmp_manifest"
mkdir -p "$work/photos"
updated=0
for entry in "${selection[@]}"; do
  IFS='|' read -r package path name metadata <<<"$entry"
  if [[ -z "${downloaded[$package]:-}" ]]; then
    if ! (cd "$work" && apt-get download -q "$package" >/dev/null 2>"$work/apt.log"); then
      # An empty or stale package list is the usual cause; refresh it once when allowed to.
      if [[ $updated -eq 0 && $(id -u) -eq 0 ]]; then
        apt-get update -q >/dev/null 2>&1 || true
        updated=1
      fi
      (cd "$work" && apt-get download -q "$package" >/dev/null 2>"$work/apt.log") \
        || fail "apt-get download $package failed ($(tail -n 1 "$work/apt.log")); is it in this machine's apt sources?"
    fi
    deb="$(ls "$work"/"${package}"_*.deb | head -n 1)"
    mkdir -p "$work/$package"
    dpkg-deb -x "$deb" "$work/$package"
    downloaded[$package]="$(dpkg-deb -f "$deb" Version)"
  fi
  version="${downloaded[$package]}"
  root="$work/$package"
  source="$root/$path"
  [[ -f "$source" ]] || fail "$package $version has no $path."
  source="$(readlink -f "$source")"
  copyright="$root/usr/share/doc/$package/copyright"
  [[ -f "$copyright" ]] || fail "$package $version has no copyright file at usr/share/doc/$package/copyright."
  IFS=$'\t' read -r licence holders < <(licence_of "$copyright" "$path") || true
  [[ -n "${licence:-}" ]] || fail "no licence for $path in $package's copyright file."
  [[ "$allowed_licences" == *" $licence "* ]] || fail "$path in $package is licensed $licence, which is not on the allow-list; choose another photo."
  if [[ -n "$metadata" ]]; then
    # KDE wallpapers name their photographer (and the upstream licence) in metadata.json; the copyright file names the
    # design group.
    author="$(grep -m 1 '"Name":' "$root/$metadata" | sed -E 's/.*"Name": *"([^"]*)".*/\1/')"
    upstream="$(grep -m 1 '"License":' "$root/$metadata" | sed -E 's/.*"License": *"([^"]*)".*/\1/')"
    holders="$holders (metadata.json: author $author, licence $upstream)"
  else
    # The copyright holder is the photographer: drop years, e-mail addresses and quotes.
    author="$(sed -E 's/;.*//; s/[0-9]{4}(-[0-9]{4})?[.,]?//g; s/<[^>]*>//g; s/["´]//g; s/^[ ,]+//; s/[ ,]+$//' <<<"$holders")"
  fi
  cp "$source" "$work/photos/$name"
  sha="$(sha256sum "$work/photos/$name" | cut -d ' ' -f 1)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$package" "$version" "$path" "$licence" "$holders" "$author" "$sha" >>"$tmp_manifest"
done

mkdir -p "$dest"
for entry in "${selection[@]}"; do
  IFS='|' read -r _ _ name _ <<<"$entry"
  mv -f "$work/photos/$name" "$dest/$name"
done
# The manifest last: its presence is what marks the folder complete.
mv -f "$tmp_manifest" "$manifest"
echo "fetch.sh: wrote ${#selection[@]} photos and manifest.tsv to $dest"
