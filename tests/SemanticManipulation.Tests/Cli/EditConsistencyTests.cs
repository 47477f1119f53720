using System.Diagnostics;
using System.Text.Json;
using SemanticManipulation.Tests.DefaultModel;
using Xunit;

namespace SemanticManipulation.Tests.Cli;

/// <summary>The CLI's edit is repeatable and agrees with its other verbs, run as separate processes on the shipped model.</summary>
public sealed class EditConsistencyTests : IDisposable
{
    private static readonly string[] Timings = ["inversion_seconds", "adaptation_seconds"];
    private readonly TemporaryDirectory _directory = Fixture.TempDirectory();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_same_edit_in_five_processes_reports_identical_metrics_and_pixels()
    {
        var runs = new List<(string Metrics, byte[] Image)>();
        for (var run = 0; run < 5; run++)
        {
            var (metrics, image) = (_directory.File($"m{run}.json"), _directory.File($"e{run}.png"));
            await RunAsync("edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"),
                "--add", "tree", "--steps", "30", "--inversion-steps", "20", "--out", image, "--metrics", metrics);
            runs.Add((WithoutTimings(metrics), await File.ReadAllBytesAsync(image)));
        }

        Assert.All(runs, r => Assert.Equal(runs[0].Metrics, r.Metrics));
        Assert.All(runs, r => Assert.Equal(runs[0].Image, r.Image));
        using var json = JsonDocument.Parse(runs[0].Metrics);
        Assert.True(json.RootElement.GetProperty("concept_fraction_in_mask_after").GetDouble() > 0.5, runs[0].Metrics);
    }

    [Fact]
    public async Task Edit_and_invert_with_the_same_steps_give_the_same_inversion_psnr()
    {
        var (editMetrics, invertMetrics) = (_directory.File("edit.json"), _directory.File("invert.json"));
        await RunAsync("edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"),
            "--remove", "tree", "--steps", "5", "--inversion-steps", "40", "--out", _directory.File("edit.png"), "--metrics", editMetrics);
        await RunAsync("invert", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--steps", "40", "--out", _directory.File("invert.png"), "--metrics", invertMetrics);

        using var edit = JsonDocument.Parse(await File.ReadAllTextAsync(editMetrics));
        using var invert = JsonDocument.Parse(await File.ReadAllTextAsync(invertMetrics));
        Assert.Equal(invert.RootElement.GetProperty("psnr_db").GetDouble(), edit.RootElement.GetProperty("inversion_psnr_db").GetDouble());
    }

    [Fact]
    public async Task Evaluate_run_twice_writes_the_same_report_apart_from_timings()
    {
        var reports = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            var report = _directory.File($"evaluate{run}.json");
            await RunAsync("evaluate", "--images", "20", "--edits", "2", "--steps", "20", "--inversion-steps", "10", "--out", report);
            var node = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(report))!;
            RemoveTimings(node);
            reports.Add(node.ToJsonString());
        }

        Assert.Equal(reports[0], reports[1]);
        Assert.Contains("share_after", reports[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.5")]
    public async Task Restyle_runs_from_the_cli_after_an_image_file(string strength)
    {
        var reference = _directory.File("reference.png");
        await RunAsync("generate", "--seed", "11", "--out", reference);
        var metrics = _directory.File("restyle.json");

        await RunAsync("edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"),
            "--restyle", "--reference", reference, "--strength", strength, "--steps", "100", "--inversion-steps", "20", "--out", _directory.File("restyled.png"),
            "--metrics", metrics);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metrics));
        Assert.Equal("restyle", json.RootElement.GetProperty("operation").GetString());
        Assert.True(json.RootElement.GetProperty("psnr_unedited_db").GetDouble() > 28, json.RootElement.ToString());
    }

    private static string WithoutTimings(string path)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var timing in Timings)
        {
            Assert.True(node.Remove(timing), $"{timing} missing from {path}");
        }

        return node.ToJsonString();
    }

    /// <summary>Removes every "…seconds" field, at any depth.</summary>
    private static void RemoveTimings(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.EndsWith("seconds", StringComparison.Ordinal)).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, child) in obj)
                {
                    RemoveTimings(child);
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var child in array)
                {
                    RemoveTimings(child);
                }

                break;
        }
    }

    private static async Task RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "semantic-manipulation"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // One thread: the runner tests another class on the same cores meanwhile, and two processes that each take a
        // thread per core spin against each other many times slower than either alone.
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add("1");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The CLI did not start.");
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', args)} exited {process.ExitCode}: {await error}");
    }
}
