using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>invert [--model PATH] --image FILE --out FILE.png [--metrics FILE.json] [--encoder FILE] [--steps N]</c>: finds the
/// representation r* whose rendering reproduces a photo (the encoder's guess, or the mean representation, then
/// refinement with the pixel loss, and with <c>--feature-loss</c> the ResNet-18 feature loss too) and writes the
/// reconstruction G_F(r*). A bundle's encoder (the
/// embedded default model's, unless <c>--model</c> names another) is used unless <c>--encoder</c> names another.
/// </summary>
internal static class InvertCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var image = new Option<FileInfo>("--image", "-i") { Description = "The photo to invert (any common format; centre-cropped to the model's size).", Required = true }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the reconstruction G_F(r*) (.png, .jpg or .bmp).", Required = true };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Write psnr_db, ssim, perceptual_distance, seconds and steps as JSON." };
        var encoder = new Option<FileInfo?>("--encoder", "-e") { Description = "A hybrid encoder for the first guess (.safetensors, or the authors' .pth); default: the bundle's; without one, refinement starts from the mean representation." }.MustExist();
        var steps = new Option<int>("--steps") { Description = "Refinement steps (the authors: 3000; their interactive variant: 50).", DefaultValueFactory = _ => 3000 }.AtLeast(1);
        var featureLoss = CommonOptions.FeatureLoss();
        var representation = new Option<FileInfo?>("--representation") { Description = "Also write r* as a float32 .npy array [1, C, H, W] (for editing)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the latents sampled for the mean representation.", DefaultValueFactory = _ => 0 };

        var command = new Command("invert", "Invert a photo into the generator: find r* whose rendering reproduces it.")
        {
            model, image, output, metrics, encoder, steps, featureLoss, representation, seed,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var outputs = new OutputSet();
            var outputPath = outputs.Image("--out", parse.GetValue(output)!);
            var representationPath = parse.GetValue(representation) is FileInfo representationFile ? outputs.Data("--representation", representationFile) : null;
            var metricsPath = parse.GetValue(metrics) is FileInfo metricsFile ? outputs.Data("--metrics", metricsFile) : null;
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("invert");
            using var loaded = CommonOptions.LoadModel(parse.GetValue(model)!, loggerFactory);
            var generator = loaded.Generator;
            var encoderFile = parse.GetValue(encoder);
            var parts = loaded.Parts() with
            {
                // A bundle's encoder unless --encoder names another.
                Encoder = encoderFile is null ? loaded.Encoder : loaded.Own(HybridEncoder.Load(encoderFile.FullName, generator, logger: loggerFactory.CreateLogger<HybridEncoder>())),
            };
            var editor = CommonOptions.CreateEditor(loaded, parts, parse.GetValue(featureLoss), loggerFactory);
            using var photo = ImageTensor.Load(parse.GetValue(image)!.FullName, generator.Resolution);

            var options = new InversionOptions { Steps = parse.GetValue(steps), Seed = parse.GetValue(seed), ProgressInterval = 50 };
            var progress = new Progress<InversionProgress>(p =>
                Console.Error.WriteLine($"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  PSNR {p.PsnrDb:F2} dB  {p.Elapsed.TotalSeconds:F1} s"));
            using var result = editor.Inverter.Invert(generator, photo.Photo, options, progress, cancellationToken);

            outputs.Write(outputPath, file => ImageTensor.Save(result.Reconstruction, file));
            if (representationPath is not null)
            {
                outputs.Write(representationPath, file => NpyFile.Write(file, result.Representation));
            }

            var m = result.Metrics;
            if (metricsPath is not null)
            {
                var measured = new InvertMetrics(
                    m.PsnrDb, m.Ssim, double.IsNaN(m.PerceptualDistance) ? null : m.PerceptualDistance, m.Seconds, m.Steps,
                    m.InitialPsnrDb, m.Start.ToString().ToLowerInvariant(), m.Guess.ToString().ToLowerInvariant(), editor.Parts.FeatureLoss?.Name, generator.Resolution);
                outputs.Write(metricsPath, file => MetricsFile.Write(file, measured));
            }

            outputs.Commit(cancellationToken);

            logger.LogInformation("Wrote {Path}: PSNR {Psnr:F2} dB, SSIM {Ssim:F3} after {Steps} steps in {Seconds:F1} s",
                outputPath, m.PsnrDb, m.Ssim, m.Steps, m.Seconds);
            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record InvertMetrics(
        double PsnrDb, double Ssim, double? PerceptualDistance, double Seconds, int Steps, double InitialPsnrDb, string Start, string Guess,
        string? FeatureLoss, int Resolution);
}
