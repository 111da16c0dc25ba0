#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need when any of them is missing, and
# says what it does: xelatex, latexmk, CJK and TeX Gyre fonts, poppler (PDF); Chromium and
# ChromeDriver (browser tests of the site); npm (installs axe-core for them); LibreOffice Writer
# and Math (opens exported .docx files with their equations) and Calc (opens exported .xlsx files).
set -euo pipefail

# `ensure-system-deps.sh venv`: only what `python3 -m venv` needs (Debian splits it out).
if [ "${1:-}" = "venv" ]; then
  packages=(python3-venv)
  echo "system-deps: python3 -m venv is unavailable; installing python3-venv"
  [ "$(id -u)" -eq 0 ] && sudo_cmd=() || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >/dev/null
  exit 0
fi

packages=(texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
          texlive-lang-chinese latexmk fonts-noto-cjk fonts-texgyre fonts-texgyre-math poppler-utils
          chromium chromium-driver npm libreoffice-writer-nogui libreoffice-math-nogui
          libreoffice-calc-nogui)

missing=()
command -v xelatex  >/dev/null || missing+=(texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-lang-chinese)
command -v latexmk  >/dev/null || missing+=(latexmk)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# (the font list is read once: with pipefail, `fc-list | grep -q` fails when grep stops early)
fonts=$(fc-list 2>/dev/null || true)
grep -q "Noto Serif CJK SC" <<<"$fonts" || missing+=(fonts-noto-cjk)
grep -qi "texgyretermes" <<<"$fonts" || missing+=(fonts-texgyre)
grep -qi "TeX Gyre Termes Math" <<<"$fonts" || missing+=(fonts-texgyre-math)
kpsewhich ctex.sty >/dev/null 2>&1 || missing+=(texlive-lang-chinese)
# hyperref under xelatex loads the Zapf Dingbats metrics (pzdr)
kpsewhich pzdr.tfm >/dev/null 2>&1 || missing+=(texlive-fonts-recommended)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
# the equation editor: without it LibreOffice drops the Word equations (OMML) of exported .docx
[ -e /usr/lib/libreoffice/program/libsmlo.so ] || missing+=(libreoffice-math-nogui)
# the spreadsheet: opens the exported comment tables (.xlsx) in tests/test_xlsx_fast.py
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing Debian packages for the build and the tests: ${packages[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "system-deps: not root and no sudo; install as root: apt-get install ${packages[*]}" >&2; exit 2; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "system-deps: done"
