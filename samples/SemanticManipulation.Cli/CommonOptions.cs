using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary>Options and helpers several verbs share.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Model() => new("--model", "-m")
    {
        Description = "Generator checkpoint (.pth zip or legacy, or .safetensors).",
        Required = true,
    };

    public static Option<FileInfo?> Latent() => new("--latent", "-z")
    {
        Description = "A float32 .npy latent of shape [Z] or [1, Z] (e.g. one made with NumPy or PyTorch).",
    };

    public static ProGanGenerator LoadGenerator(FileInfo model, ILoggerFactory loggerFactory) =>
        ProGanGenerator.Load(model.FullName, logger: loggerFactory.CreateLogger<ProGanGenerator>());

    /// <summary>Reads a latent for <paramref name="latentSize"/>, refusing any other dtype or shape with the reason.</summary>
    public static Tensor ReadLatent(string path, int latentSize)
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

    /// <summary>A seeded latent z ~ N(0, I), the same for the same seed on every machine.</summary>
    public static Tensor SeededLatent(long seed, int latentSize) =>
        randn(1, latentSize, generator: new Generator(0, CPU).manual_seed(seed));

    /// <summary>The concept catalog stored beside a model: <c>NAME.concepts.json</c> or <c>concepts.json</c>.</summary>
    public static string FindCatalogBeside(FileInfo model)
    {
        var directory = model.DirectoryName ?? ".";
        string[] candidates =
        [
            Path.Combine(directory, Path.GetFileNameWithoutExtension(model.Name) + ".concepts.json"),
            Path.Combine(directory, "concepts.json"),
        ];
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"No concept catalog beside {model.Name} (looked for {string.Join(" and ", candidates.Select(Path.GetFileName))}); " +
            "pass --catalog FILE.");
    }

    /// <summary>Creates the folder an output file goes into (the CLI's users expect <c>--out out/x.png</c> to work).</summary>
    public static string PrepareOutput(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }
}
