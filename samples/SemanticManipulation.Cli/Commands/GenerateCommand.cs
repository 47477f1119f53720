using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary><c>generate --model PATH [--seed N | --latent FILE.npy] --out FILE.png</c>: render G(z).</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model", "-m")
        {
            Description = "Generator checkpoint (.pth zip or legacy, or .safetensors).",
            Required = true,
        };
        var seed = new Option<long?>("--seed", "-s") { Description = "Seed for a random latent z ~ N(0, I) (default 0)." };
        var latent = new Option<FileInfo?>("--latent", "-z")
        {
            Description = "A float32 .npy latent of shape [Z] or [1, Z] (e.g. one made with NumPy or PyTorch).",
        };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Output image (.png, .jpg or .bmp).", Required = true };

        var command = new Command("generate", "Render the generator's image for a latent.") { model, seed, latent, output };
        command.Validators.Add(result =>
        {
            if (result.GetResult(seed) is not null && result.GetResult(latent) is not null)
            {
                result.AddError("Give either --seed or --latent, not both.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("generate");
            using var generator = ProGanGenerator.Load(parse.GetValue(model)!.FullName, logger: loggerFactory.CreateLogger<ProGanGenerator>());
            cancellationToken.ThrowIfCancellationRequested();

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var latentFile = parse.GetValue(latent);
            var z = latentFile is null
                ? randn(1, generator.LatentSize, generator: new Generator(0, CPU).manual_seed(parse.GetValue(seed) ?? 0))
                : ReadLatent(latentFile.FullName, generator.LatentSize);
            var image = generator.Generate(z);
            var path = parse.GetValue(output)!.FullName;
            ImageTensor.Save(image, path);
            logger.LogInformation("Wrote {Path} ({Resolution}×{Resolution})", path, generator.Resolution, generator.Resolution);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Tensor ReadLatent(string path, int latentSize)
    {
        var z = NpyFile.Read(path);
        if (z.dtype != ScalarType.Float32 || !(z.shape.SequenceEqual([latentSize]) || z.shape.SequenceEqual([1L, latentSize])))
        {
            throw new ArgumentException(
                $"{Path.GetFileName(path)} holds a {z.dtype} array of shape [{string.Join(", ", z.shape)}]; " +
                $"the generator needs float32 of shape [{latentSize}] or [1, {latentSize}].");
        }

        return z.reshape(1, latentSize);
    }
}
