using System.Diagnostics;
using SemanticManipulation.Tests.DefaultModel;
using Xunit;

namespace SemanticManipulation.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) on the real program: it stops through its cancellation token, exits with 130 and leaves a
/// command's whole output set or none of it.</summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TemporaryDirectory _directory = Fixture.TempDirectory();
    private readonly List<(int Id, DateTime StartTime)> _started = [];

    public void Dispose()
    {
        // A run a failed test left behind (one that ignored its signal) must not keep a core busy for the rest of the suite.
        foreach (var (id, startTime) in _started)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                if (process.StartTime == startTime && !process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                }
            }
            catch (ArgumentException)
            {
                // It has exited.
            }
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Ctrl_c_during_fitting_exits_130_and_writes_nothing()
    {
        using var process = Start("fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", _directory.File("state.safetensors"),
            "--metrics", _directory.File("metrics.json"), "--steps", "100000", "--inversion-steps", "1");
        var error = new System.Text.StringBuilder();
        await ReadErrors(process, line => line.StartsWith("step ", StringComparison.Ordinal), error).WaitAsync(TimeSpan.FromMinutes(2));

        Interrupt(process);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(130, process.ExitCode);
        lock (error)
        {
            Assert.Contains("cancelled; no output was written.", error.ToString(), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task Ctrl_c_near_the_end_of_a_run_leaves_all_of_its_outputs_or_none()
    {
        // The signals land from half to all of an uninterrupted run's time, whatever the model's size and the machine's
        // speed make that: around the point where the outputs are put in place.
        var whole = Stopwatch.StartNew();
        using (var uninterrupted = Start("fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", _directory.File("whole.safetensors"),
            "--metrics", _directory.File("whole.json"), "--steps", "2", "--inversion-steps", "1"))
        {
            uninterrupted.BeginErrorReadLine();
            await uninterrupted.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(0, uninterrupted.ExitCode);
        }

        var runTime = whole.Elapsed;
        File.Delete(_directory.File("whole.safetensors"));
        File.Delete(_directory.File("whole.json"));

        var random = new Random(7);
        var outcomes = new List<int>();
        for (var run = 0; run < 6; run++)
        {
            var state = _directory.File($"state{run}.safetensors");
            var metrics = _directory.File($"metrics{run}.json");
            using var process = Start("fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", state, "--metrics", metrics,
                "--steps", "2", "--inversion-steps", "1");
            process.BeginErrorReadLine();
            await Task.Delay(runTime * (0.5 + (0.5 * random.NextDouble())));
            if (!process.HasExited)
            {
                Interrupt(process);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            outcomes.Add(process.ExitCode);
            Assert.True(process.ExitCode is 0 or 130, $"exit code {process.ExitCode}");
            Assert.Equal(File.Exists(state), File.Exists(metrics));
            Assert.Equal(process.ExitCode == 0, File.Exists(state));
        }

        Assert.Equal(6 * 2, Directory.EnumerateFiles(_directory.Path).Count() + (outcomes.Count(e => e == 130) * 2));
        Assert.Empty(Directory.EnumerateDirectories(_directory.Path));   // no staging folder left by any run
    }

    [Fact]
    public async Task Ctrl_c_after_the_outputs_were_put_in_place_does_not_turn_a_complete_run_into_a_cancelled_one()
    {
        var state = _directory.File("state.safetensors");
        var metrics = _directory.File("metrics.json");
        using var process = Start("fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", state, "--metrics", metrics,
            "--steps", "2", "--inversion-steps", "1");
        await ReadErrors(process, line => line.Contains("Wrote ", StringComparison.Ordinal), new System.Text.StringBuilder()).WaitAsync(TimeSpan.FromMinutes(2));

        // The signal lands while the process shuts down; it must neither kill it nor change its exit code.
        Interrupt(process);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, process.ExitCode);
        Assert.True(File.Exists(state) && File.Exists(metrics));
    }

    private Process Start(params string[] args)
    {
        // Through env, which restores SIGINT's default disposition: a test run started as a background job of a
        // non-interactive shell hands SIGINT down ignored (as nohup does), and .NET then rightly leaves it ignored.
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "semantic-manipulation"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The CLI did not start.");
        _started.Add((process.Id, process.StartTime));
        return process;
    }

    /// <summary>Reads the process's standard error into <paramref name="log"/>; the task completes at the first line
    /// <paramref name="awaited"/> accepts.</summary>
    private static Task ReadErrors(Process process, Func<string, bool> awaited, System.Text.StringBuilder log)
    {
        var seen = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data is { } line && awaited(line))
            {
                seen.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        return seen.Task;
    }

    /// <summary>Sends SIGINT, what Ctrl+C in a terminal sends.</summary>
    private static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
