# Build the Windows installer: PyInstaller bundle dist\ocelote\ (ocelote.exe console CLI,
# ocelote-gui.exe windowed), then dist\Ocelote-<version>-setup.exe with NSIS.
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
# Needs Python 3.11 and NSIS 3 (makensis on PATH, or in "C:\Program Files (x86)\NSIS").
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
Set-Location (Join-Path $PSScriptRoot "..")

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $Arguments failed with exit code $LASTEXITCODE" }
}

if (-not (Test-Path ".venv\Scripts\python.exe")) { Invoke-Checked "python" @("-m", "venv", ".venv") }
$py = (Resolve-Path ".venv\Scripts\python.exe").Path
Invoke-Checked $py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
Invoke-Checked $py @("-m", "pip", "install", "--quiet", ".", "pyinstaller>=6.10")
# DirectML build of onnxruntime: AMD, Intel and NVIDIA GPUs through DirectX 12. It replaces
# the CPU package (both install the same `onnxruntime` module, so only one may be present).
Invoke-Checked $py @("-m", "pip", "uninstall", "--yes", "onnxruntime")
Invoke-Checked $py @("-m", "pip", "install", "--quiet", "onnxruntime-directml")

$version = (& $py packaging\version.py).Trim()
Invoke-Checked $py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", "dist",
    "--workpath", "build\pyinstaller", "packaging\pyinstaller\ocelote.spec")
Invoke-Checked "dist\ocelote\ocelote.exe" @("--version")

$nsi = "build\ocelote.nsi"
$setup = "dist\Ocelote-$version-setup.exe"
Invoke-Checked $py @("packaging\version.py", "render", "installer\windows\ocelote.nsi.in", $nsi,
    "BUNDLE_DIR=$((Resolve-Path 'dist\ocelote').Path)",
    "OUT_FILE=$((Resolve-Path 'dist').Path)\Ocelote-$version-setup.exe",
    "ICON_FILE=$((Resolve-Path 'build\pyinstaller-extra\ocelote.ico').Path)")
$makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $makensis) { $makensis = "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
Invoke-Checked $makensis @("-V2", "-WX", $nsi)
Write-Host "$setup : $([math]::Round((Get-Item $setup).Length / 1MB, 1)) MB"
