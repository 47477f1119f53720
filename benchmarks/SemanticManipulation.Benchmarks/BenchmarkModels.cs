using SemanticManipulation.Imaging;
using SemanticManipulation.Generators;
using SemanticManipulation.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Benchmarks;

/// <summary>The architectures the benchmarks compare, and a reproducible adaptation problem for each.</summary>
internal static class BenchmarkModels
{
    /// <summary>
    /// The authors' LSUN 256² layout, a small 64² layout, or the layout <c>train</c> gives the default model at 128²
    /// (<c>default128</c>).
    /// </summary>
    public static ProGanArchitecture Architecture(string model) => model switch
    {
        "lsun256" => ProGanArchitecture.Lsun256,
        "small64" => new ProGanArchitecture(256, [256, 256, 128, 64, 32]),
        "default128" => TrainedLayout(128),
        _ => throw new ArgumentException($"Unknown model '{model}'.", nameof(model)),
    };

    /// <summary>The model for a size in the runners' <c>--sizes</c>: small64, default128 or lsun256.</summary>
    public static string ForSize(int size) => size switch
    {
        64 => "small64",
        128 => "default128",
        256 => "lsun256",
        _ => throw new ArgumentException($"Size {size} is not one of 64, 128, 256."),
    };

    private static ProGanArchitecture TrainedLayout(int resolution)
    {
        var gan = DefaultModelOptions.ForResolution(resolution).Gan;
        return new ProGanArchitecture(gan.LatentSize, gan.BlockChannels);
    }

    /// <summary>
    /// A random-weight generator, the representation of one latent, and a photo it cannot reproduce: a sibling
    /// generator's image of the same latent (its late weights differ by 25% noise).
    /// </summary>
    public static (ProGanGenerator Generator, ModelPhoto Photo, Tensor Representation) AdaptationProblem(string model)
    {
        var generator = ProGanGenerator.Create(Architecture(model), seed: 1);
        using var sibling = ProGanGenerator.Create(Architecture(model), seed: 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var noise = new Generator(0, CPU).manual_seed(2);
        foreach (var parameter in sibling.LateParameters())
        {
            parameter.add_(randn(parameter.shape, generator: noise) * parameter.std() * 0.25);
        }

        var z = randn(1, generator.LatentSize, generator: new Generator(0, CPU).manual_seed(3));
        var representation = generator.Early(z).DetachFromDisposeScope();
        var photo = ModelPhoto.From(sibling.Generate(z).clamp(-1, 1), generator.Resolution);
        return (generator, photo, representation);
    }

    /// <summary>The process's peak resident set (VmHWM) in MB on Linux; -1 elsewhere.</summary>
    public static long PeakResidentMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return -1;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
