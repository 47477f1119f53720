using SemanticManipulation.Checkpoints;
using SemanticManipulation.Cli;
using SemanticManipulation.Tests.DefaultModel;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace SemanticManipulation.Tests.Cli;

/// <summary>Bad input gets one line naming the problem, exit code 1, before any work, and leaves no file behind.</summary>
[Collection(ConsoleRedirectingTests.Name)]
public sealed class CliErrorPathTests : IDisposable
{
    private readonly TemporaryDirectory _directory = Fixture.TempDirectory();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string[], string> BadValues => new()
    {
        { ["--steps", "0"], "--steps must be at least 1; got 0." },
        { ["--strength", "-1"], "--strength must be between 0 and 1; got -1." },
        { ["--strength", "NaN"], "--strength must be between 0 and 1; got NaN." },
        { ["--learning-rate", "NaN"], "--learning-rate must be a finite number above 0; got NaN." },
        { ["--learning-rate", "0"], "--learning-rate must be a finite number above 0; got 0." },
        { ["--inversion-steps", "0"], "--inversion-steps must be at least 1; got 0." },
        { ["--steps", "abc"], "Cannot parse argument 'abc' for option '--steps'" },
        { ["--reference", "no-such-reference.png"], "--reference: no such file:" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_one_line_and_exit_1_before_anything_is_loaded(string[] extra, string expected)
    {
        var (exit, output, error) = await CapturedCli.Run([.. Edit(_directory.File("out.png")), .. extra]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));     // no log line: the model was never loaded
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    [InlineData("--target-psnr", "-3", "--target-psnr must be a finite positive number of dB")]
    [InlineData("--target-psnr", "NaN", "--target-psnr must be a finite positive number of dB")]
    public async Task A_bad_thread_count_or_target_is_refused_at_parse_time(string option, string value, string expected)
    {
        var (exit, output, error) = await CapturedCli.Run(
            ["fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", _directory.File("s.safetensors"), option, value]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(expected, Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [InlineData("fit", "--target-psnr", "abc", "--target-psnr must be a number of dB or 'off'; got 'abc'.")]
    [InlineData("concepts", "--top", "abc", "Cannot parse argument 'abc' for option '--top'")]
    [InlineData("concepts", "--top", "0", "--top must be at least 1; got 0.")]
    public async Task A_value_that_does_not_parse_is_one_line_not_a_crash(string verb, string option, string value, string expected)
    {
        string[] args = verb == "fit"
            ? ["fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", _directory.File("s.safetensors"), option, value]
            : [verb, option, value];

        var (exit, output, error) = await CapturedCli.Run(args);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(expected, Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task An_edit_whose_fit_diverges_ends_in_one_line_naming_the_learning_rate_and_writes_nothing()
    {
        var (exit, output, error) = await CapturedCli.Run(
            [.. Edit(_directory.File("out.png")), "--inversion-steps", "1", "--steps", "20", "--kind", "free", "--learning-rate", "1e30"]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var last = Lines(error)[^1];
        Assert.Matches(@"^error: Adaptation diverged at step \d+ \(loss (NaN|∞|-?Infinity)\); lower the learning rate \(1E\+30\)\.$", last);
        Assert.DoesNotContain(Lines(error), line => line.Contains("   at ", StringComparison.Ordinal));   // no stack trace
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [InlineData("--kind", "magic")]
    [InlineData("--lr-schedule", "steep")]
    public async Task An_unknown_perturbation_kind_or_schedule_is_refused_at_parse_time(string option, string value)
    {
        var (exit, _, error) = await CapturedCli.Run(
            ["fit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--out", _directory.File("s.safetensors"), option, value]);

        Assert.Equal(1, exit);
        Assert.Contains(value, Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    public static TheoryData<string, string, string> BadOutputs => new()
    {
        { "--out", "{dir}", "is a folder; give a file name" },
        { "--out", "{dir}/edited.gifx", "no image format is written for the extension '.gifx'" },
        { "--metrics", "/proc/metrics.json", "Cannot write --metrics /proc/metrics.json: no file can be created in /proc." },
        { "--full-size", "{dir}/out.png", "--full-size and --out both name" },
    };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public async Task A_bad_output_path_is_refused_before_any_work_naming_the_option_and_the_users_path(string option, string value, string expected)
    {
        var target = value.Replace("{dir}", _directory.Path, StringComparison.Ordinal);
        var primary = option == "--out" ? target : _directory.File("out.png");
        string[] args = option == "--out" ? Edit(primary) : [.. Edit(primary), option, target];

        var (exit, _, error) = await CapturedCli.Run(args);

        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(".semantic-manipulation-", line, StringComparison.Ordinal);   // never the hidden staging folder
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task An_output_folder_the_cli_created_for_a_failed_command_is_removed_again()
    {
        var nested = Path.Combine(_directory.Path, "new", "deeper", "edited.png");

        var (exit, _, _) = await CapturedCli.Run(
            ["edit", "--model", _directory.File("no-such-model.safetensors"), "--image", DefaultModelFixture.SamplePhoto("church.jpg"),
             "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"), "--add", "tree", "--out", nested]);

        Assert.Equal(1, exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [InlineData("unknown-concept", "Unknown concept 'tre'")]
    [InlineData("mask-outside-the-crop", "The mask is empty")]
    [InlineData("reference-not-an-image", "is not a recognised image format")]
    public async Task An_edit_the_model_cannot_make_is_refused_before_the_inversion(string problem, string expected)
    {
        var inputs = Path.Combine(_directory.Path, "inputs");
        Directory.CreateDirectory(inputs);
        var mask = DefaultModelFixture.SamplePhoto("church-trees-mask.png");
        string[] edit = ["--add", "tree"];
        switch (problem)
        {
            case "unknown-concept":
                edit = ["--add", "tre"];
                break;
            case "mask-outside-the-crop":
                // The 320×256 photo is centre-cropped to its middle 256 columns: paint only inside the 32 columns left of them.
                mask = Path.Combine(inputs, "left-strip.png");
                using (var image = new Image<L8>(320, 256, new L8(255)))
                {
                    image.ProcessPixelRows(rows =>
                    {
                        for (var y = 0; y < rows.Height; y++)
                        {
                            rows.GetRowSpan(y)[..20].Fill(new L8(0));
                        }
                    });
                    await image.SaveAsPngAsync(mask);
                }

                break;
            default:
                var reference = Path.Combine(inputs, "reference.png");
                await File.WriteAllTextAsync(reference, "not an image");
                edit = ["--restyle", "--reference", reference];
                break;
        }

        var output = Path.Combine(_directory.Path, "out", "edited.png");
        var (exit, stdout, error) = await CapturedCli.Run(
            ["edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", mask, .. edit, "--out", output]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var lines = Lines(error);
        Assert.StartsWith("error: ", lines[^1], StringComparison.Ordinal);
        Assert.Contains(expected, lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.StartsWith("inverting ", StringComparison.Ordinal));   // no inversion step ran
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "out")));
    }

    [Fact]
    public async Task Evaluate_refuses_a_bundle_without_a_catalog_before_its_quality_stage()
    {
        var bundle = Path.Combine(_directory.Path, "no-catalog");
        Directory.CreateDirectory(bundle);
        foreach (var file in Directory.GetFiles(SemanticManipulation.DefaultModel.Directory).Where(f => !f.EndsWith("concepts.json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(bundle, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(bundle, "bundle.json");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"concepts\": \"concepts.json\",", "", StringComparison.Ordinal));

        var (exit, output, error) = await CapturedCli.Run(["evaluate", "--model", bundle, "--images", "2", "--edits", "1"]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = Lines(error);
        Assert.Equal($"error: The bundle in {bundle} has no concept catalog; the edit evaluation needs one.", lines[^1]);
        Assert.DoesNotContain(lines, line => line.Contains(" images ", StringComparison.Ordinal));   // no quality progress
    }

    [Theory]
    [InlineData("--gan-ema-half-life", "0", "--gan-ema-half-life: The average's half-life must be a positive number of images.")]
    [InlineData("--gan-final-ema-half-life", "-5", "--gan-final-ema-half-life: The average's final half-life must be a positive number")]
    [InlineData("--gan-learning-rate", "0", "--gan-learning-rate: The learning rate must be positive.")]
    [InlineData("--gan-steps", "0", "--gan-steps: Steps ('0') must be greater than or equal to '1'.")]
    [InlineData("--gan-channels", "256", "--gan-channels: At least two resolution blocks (8×8) are needed.")]
    [InlineData("--gan-semantic-weight", "-1", "--gan-semantic-weight: The semantic weight must be 0 (off) or positive.")]
    public async Task A_bad_gan_option_stops_train_before_its_first_stage_under_the_flag_the_user_typed(string option, string value, string expected)
    {
        var (exit, output, error) = await CapturedCli.Run(
            ["train", "--resolution", "128", "--work", Path.Combine(_directory.Path, "work"), "--out", Path.Combine(_directory.Path, "bundle"), option, value]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));     // no stage started: it would have logged
        Assert.StartsWith("error: " + expected, line, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task Train_refuses_a_work_folder_of_a_64_pixel_run_when_128_is_asked_for_before_any_stage()
    {
        // A 64² run stopped during its segmenter stage: the checkpoint's options say what it trains.
        var work = Path.Combine(_directory.Path, "work");
        var checkpoint = Path.Combine(work, "segmenter", "segmenter.checkpoint.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        SafeTensorsWriter.Write(checkpoint, new Dictionary<string, TorchSharp.torch.Tensor>(), new Dictionary<string, string>
        {
            ["step"] = "250",
            ["options"] = """{"Resolution":64,"Width":24,"Depth":3,"Steps":1500,"BatchSize":24}""",
        });

        var (exit, output, error) = await CapturedCli.Run(
            ["train", "--resolution", "128", "--work", work, "--out", Path.Combine(_directory.Path, "bundle")]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));     // no stage started: it would have logged
        Assert.Equal(
            $"error: The work folder {work} holds the stages of another model (segmenter resolution 64, this run 128; segmenter depth 3, " +
            "this run 4). Give this run a work folder of its own, or delete that one to start over.", line);
        // Nothing but the run's lock on the folder (kept, as a killed run's would be: the lock is the open file's, not the file).
        Assert.Equal([checkpoint, Path.Combine(work, "train.lock")], Directory.GetFiles(work, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    private static string[] Edit(string output) =>
        ["edit", "--image", DefaultModelFixture.SamplePhoto("church.jpg"), "--mask", DefaultModelFixture.SamplePhoto("church-trees-mask.png"),
         "--add", "tree", "--out", output];

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
