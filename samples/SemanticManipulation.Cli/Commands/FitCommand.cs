using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Imaging;
using SemanticManipulation.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>fit [--model PATH] --image FILE [--latent FILE.npy] --out STATE [--steps N] [--metrics FILE.json]</c>: fits an
/// image-specific generator G' to a photo and saves the adapted state.
/// </summary>
internal static class FitCommand
{
    /// <summary>Latents averaged for the starting representation when no latent (and no encoder) is given.</summary>
    private const int MeanRepresentationSamples = 64;

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var image = new Option<FileInfo>("--image", "-i") { Description = "The photo to fit (any common format; centre-cropped to the model's size).", Required = true };
        var latent = CommonOptions.Latent();
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the adapted state (.safetensors).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps (the paper: 1000).", DefaultValueFactory = _ => 1000 };
        var kind = new Option<string>("--kind") { Description = "Perturbation: 'network' (R, the paper's) or 'free' (δ as parameters).", DefaultValueFactory = _ => PerturbationKinds.Network };
        var seed = new Option<long>("--seed") { Description = "Seed for R's weights and noise.", DefaultValueFactory = _ => 0 };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Write PSNR before/after, seconds and steps as JSON." };

        var command = new Command("fit", "Fit an image-specific generator G' to a photo and save the adapted state.")
        {
            model, image, latent, output, steps, kind, seed, metrics,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("fit");
            using var generator = CommonOptions.LoadGenerator(parse.GetValue(model)!, loggerFactory);
            using var photo = ImageTensor.Load(parse.GetValue(image)!.FullName, generator.Resolution);

            using var scope = NewDisposeScope();
            Tensor representation;
            using (no_grad())
            {
                var latentFile = parse.GetValue(latent);
                if (latentFile is not null)
                {
                    representation = generator.Early(CommonOptions.ReadLatent(latentFile.FullName, generator.LatentSize));
                }
                else
                {
                    logger.LogWarning("No --latent given: starting from the mean representation of {Count} random latents.", MeanRepresentationSamples);
                    var latents = randn(MeanRepresentationSamples, generator.LatentSize, generator: new Generator(0, CPU).manual_seed(0));
                    representation = generator.Early(latents).mean([0], keepdim: true);
                }
            }

            var options = new AdaptationOptions
            {
                Steps = parse.GetValue(steps),
                Kind = parse.GetValue(kind)!,
                Seed = parse.GetValue(seed),
                ProgressInterval = 50,
            };
            var adapter = new GeneratorAdapter(logger: loggerFactory.CreateLogger<GeneratorAdapter>());
            var progress = new Progress<AdaptationProgress>(p =>
                Console.Error.WriteLine($"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  PSNR {p.KeptPsnrDb:F2} dB  {p.Elapsed.TotalSeconds:F1} s"));
            using var adapted = adapter.Fit(generator, new AdaptationTarget(photo.Tensor, representation), options, progress, cancellationToken);

            var statePath = parse.GetValue(output)!.FullName;
            adapted.Save(CommonOptions.PrepareOutput(statePath));
            var metricsPath = parse.GetValue(metrics);
            if (metricsPath is not null)
            {
                MetricsFile.Write(metricsPath.FullName, new FitMetrics(
                    adapted.Metrics.PsnrBeforeDb, adapted.Metrics.PsnrAfterDb, adapted.Metrics.Seconds, adapted.Metrics.Steps,
                    adapted.Metrics.StoppedEarly, options.Kind, generator.Resolution));
            }

            logger.LogInformation("Wrote {Path}: PSNR {Before:F2} dB -> {After:F2} dB in {Seconds:F1} s",
                statePath, adapted.Metrics.PsnrBeforeDb, adapted.Metrics.PsnrAfterDb, adapted.Metrics.Seconds);
            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record FitMetrics(
        double PsnrBeforeDb, double PsnrAfterDb, double AdaptationSeconds, int AdaptationSteps, bool StoppedEarly, string Perturbation, int Resolution);
}
