#!/usr/bin/env pwsh
# Koans runner for PowerShell 7 (Windows, macOS, Linux). `./run-katas.ps1` shows your next kata; `./run-katas.ps1 --help`
# lists every command. The same as run-katas.sh: this wrapper only checks for the .NET SDK, builds the runner
# (infra/Koans.Runner) when its sources change, and hands over to it.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$env:KOANS_ROOT = $root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$download = 'https://dotnet.microsoft.com/download/dotnet/10.0'

if (-not (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
    [Console]::Error.WriteLine("run-katas.ps1 needs the .NET 10 SDK, and 'dotnet' is not on your PATH: install it from $download and run this again.")
    exit 2
}
$sdks = @(& dotnet --list-sdks 2>$null | ForEach-Object { ($_ -split ' ')[0] })
if (-not ($sdks | Where-Object { $_ -like '10.*' })) {
    $found = if ($sdks.Count -gt 0) { $sdks -join ' ' } else { 'none' }
    [Console]::Error.WriteLine("run-katas.ps1 needs the .NET 10 SDK; this machine has: $found. Install .NET 10 from $download and run this again.")
    exit 2
}

$runnerProject = Join-Path $root 'infra/Koans.Runner/Koans.Runner.csproj'
$runnerDll = Join-Path $root 'artifacts/infra/bin/infra/Koans.Runner/Debug/koans-runner.dll'
$buildLog = Join-Path $root 'artifacts/runner-build.log'

function Test-RunnerStale {
    if (-not (Test-Path -LiteralPath $runnerDll -PathType Leaf)) { return $true }
    $built = (Get-Item -LiteralPath $runnerDll).LastWriteTimeUtc
    $sources = @(Get-ChildItem -LiteralPath (Join-Path $root 'infra/Koans.Runner') -Recurse -File -Include '*.cs', '*.csproj', '*.props', '*.targets', 'global.json')
    $sources += @('Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'global.json' |
        ForEach-Object { Join-Path $root $_ } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | ForEach-Object { Get-Item -LiteralPath $_ })
    return [bool]($sources | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}

if (Test-RunnerStale) {
    New-Item -ItemType Directory -Force -Path (Join-Path $root 'artifacts') | Out-Null
    # Two runners started at once build the runner one after the other, not on top of each other: an exclusive open
    # of the same lock file run-katas.sh takes (an flock on Linux and macOS, a sharing lock on Windows).
    $lockPath = Join-Path $root 'artifacts/runner-build.lock'
    $lock = $null
    while ($null -eq $lock) {
        try {
            $lock = [System.IO.File]::Open($lockPath, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
        } catch [System.IO.IOException] {
            Start-Sleep -Milliseconds 250
        }
    }
    try {
        if (Test-RunnerStale) {
            if (-not [Console]::IsOutputRedirected) { [Console]::Error.WriteLine('Building the Koans runner (once)…') }
            & dotnet build $runnerProject -nologo -v:q -clp:NoSummary -tl:off *> $buildLog
            if ($LASTEXITCODE -ne 0) {
                [Console]::Error.WriteLine('The Koans runner itself does not build (infra/Koans.Runner). The errors:')
                $errors = @(Select-String -LiteralPath $buildLog -Pattern 'error' | ForEach-Object { $_.Line } | Sort-Object -Unique | Select-Object -First 20)
                if ($errors.Count -eq 0) { $errors = @(Get-Content -LiteralPath $buildLog -Tail 20) }
                $errors | ForEach-Object { [Console]::Error.WriteLine($_) }
                exit 2
            }
        }
    } finally {
        $lock.Dispose()
    }
}

& dotnet $runnerDll @args
exit $LASTEXITCODE
