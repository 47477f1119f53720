using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary><c>generate [--model PATH] [--seed N | --latent FILE.npy] [--state STATE] --out FILE.png</c>: render G(z),
/// or with an adapted state, G'.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var seed = new Option<long?>("--seed", "-s") { Description = "Seed for a random latent z ~ N(0, I) (default 0)." };
        var latent = CommonOptions.Latent();
        var state = new Option<FileInfo?>("--state")
        {
            Description = "An adapted state written by 'fit': render with G'. Without --seed/--latent it renders the fitted photo's r.",
        }.MustExist();
        var output = new Option<FileInfo>("--out", "-o") { Description = "Output image (.png, .jpg or .bmp).", Required = true };

        var command = new Command("generate", "Render the generator's image for a latent (or an adapted state's).")
        {
            model, seed, latent, state, output,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(seed) is not null && result.GetResult(latent) is not null)
            {
                result.AddError("Give either --seed or --latent, not both.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            using var outputs = new OutputSet();
            var path = outputs.Image("--out", parse.GetValue(output)!);
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("generate");
            using var generator = CommonOptions.LoadGenerator(parse.GetValue(model)!, loggerFactory);
            var statePath = parse.GetValue(state);
            using var adapted = statePath is null ? null : AdaptedGenerator.Load(statePath.FullName, generator);
            cancellationToken.ThrowIfCancellationRequested();

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var latentFile = parse.GetValue(latent);
            var seedValue = parse.GetValue(seed);
            Tensor? z = latentFile is not null ? CommonOptions.ReadLatent(latentFile.FullName, generator.LatentSize)
                : seedValue is not null || adapted is null ? CommonOptions.SeededLatent(seedValue ?? 0, generator.LatentSize)
                : null;
            var image = adapted is null ? generator.Generate(z!)
                : adapted.Render(z is null ? null : generator.Early(z));
            outputs.Write(path, file => ImageTensor.Save(image, file));
            outputs.Commit(cancellationToken);
            logger.LogInformation("Wrote {Path} ({Resolution}×{Resolution})", path, generator.Resolution, generator.Resolution);
            return Task.FromResult(0);
        });
        return command;
    }
}
