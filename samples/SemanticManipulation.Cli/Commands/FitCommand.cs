using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>fit [--model PATH] --image FILE [--latent FILE.npy] --out STATE [--steps N] [--metrics FILE.json]</c>: fits an
/// image-specific generator G' to a photo and saves the adapted state.
/// </summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var image = new Option<FileInfo>("--image", "-i") { Description = "The photo to fit (any common format; centre-cropped to the model's size).", Required = true }.AcceptExistingOnly();
        var latent = CommonOptions.Latent();
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the adapted state (.safetensors).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Most optimisation steps (the paper: 1000); the fit stops sooner at --target-psnr.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var kind = CommonOptions.PerturbationKind();
        var targetPsnr = CommonOptions.TargetPsnr();
        var schedule = CommonOptions.LearningRateSchedule();
        var mode = CommonOptions.PerturbationMode();
        var seed = new Option<long>("--seed") { Description = "Seed for R's weights and noise.", DefaultValueFactory = _ => 0 };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Write PSNR before/after, seconds and steps as JSON." };
        var inversionSteps = new Option<int>("--inversion-steps")
        {
            Description = "Without --latent, the photo is inverted first (from a bundle's encoder, else the mean representation): refinement steps.",
            DefaultValueFactory = _ => 500,
        }.AtLeast(1);

        var featureLoss = CommonOptions.FeatureLoss();
        var command = new Command("fit", "Fit an image-specific generator G' to a photo and save the adapted state.")
        {
            model, image, latent, output, steps, kind, mode, targetPsnr, schedule, seed, metrics, inversionSteps, featureLoss,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var outputs = new OutputSet();
            var statePath = outputs.Data("--out", parse.GetValue(output)!);
            var metricsPath = parse.GetValue(metrics) is FileInfo metricsFile ? outputs.Data("--metrics", metricsFile) : null;
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("fit");
            using var loaded = CommonOptions.LoadModel(parse.GetValue(model)!, loggerFactory);
            var generator = loaded.Generator;
            var editor = CommonOptions.CreateEditor(loaded, loaded.Parts(), parse.GetValue(featureLoss), loggerFactory);
            using var photo = ImageTensor.Load(parse.GetValue(image)!.FullName, generator.Resolution);
            var options = new SemanticEditOptions
            {
                Inversion = new InversionOptions { Steps = parse.GetValue(inversionSteps), ProgressInterval = 50 },
                Adaptation = new AdaptationOptions
                {
                    Steps = parse.GetValue(steps), Kind = parse.GetValue(kind)!, Mode = parse.GetValue(mode), Seed = parse.GetValue(seed), ProgressInterval = 50, TargetKeptPsnrDb = parse.GetValue(targetPsnr).Db, Schedule = CommonOptions.ScheduleNamed(parse.GetValue(schedule)),
                },
            };
            var progress = new Progress<SemanticEditProgress>(p =>
                Console.Error.WriteLine($"{(p.Stage == SemanticEditStage.Adapting ? "step" : "inverting")} {p.Step}/{p.TotalSteps}  PSNR {p.PsnrDb:F2} dB  {p.Elapsed.TotalSeconds:F1} s"));

            // G' only has to close the gap the inversion leaves, so it starts from the photo's own r*, not an average.
            using var scope = NewDisposeScope();
            using var edit = parse.GetValue(latent) is FileInfo latentFile
                ? editor.Open(photo.Photo, generator.Early(CommonOptions.ReadLatent(latentFile.FullName, generator.LatentSize)).detach(), options)
                : editor.Open(photo.Photo, options, progress, cancellationToken);
            if (edit.Inversion is { } inversion)
            {
                logger.LogInformation("Inverted the photo (start: {Start}): PSNR {Psnr:F2} dB in {Seconds:F1} s", inversion.Start, inversion.PsnrDb, inversion.Seconds);
            }

            using var result = edit.Render(progress, cancellationToken);
            var adapted = result.Adapted;

            outputs.Write(statePath, file => adapted.Save(file));
            if (metricsPath is not null)
            {
                var measured = new FitMetrics(
                    adapted.Metrics.PsnrBeforeDb, adapted.Metrics.PsnrAfterDb, adapted.Metrics.Seconds, adapted.Metrics.Steps,
                    adapted.Metrics.StoppedEarly, options.Adaptation.Kind, generator.Resolution);
                outputs.Write(metricsPath, file => MetricsFile.Write(file, measured));
            }

            outputs.Commit(cancellationToken);

            logger.LogInformation("Wrote {Path}: PSNR {Before:F2} dB -> {After:F2} dB in {Seconds:F1} s",
                statePath, adapted.Metrics.PsnrBeforeDb, adapted.Metrics.PsnrAfterDb, adapted.Metrics.Seconds);
            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record FitMetrics(
        double PsnrBeforeDb, double PsnrAfterDb, double AdaptationSeconds, int AdaptationSteps, bool StoppedEarly, string Perturbation, int Resolution);
}
