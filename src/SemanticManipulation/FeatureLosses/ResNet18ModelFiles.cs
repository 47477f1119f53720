namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// Finds the pretrained ResNet-18 shipped by the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>
/// (MIT): <c>ResNet18.onnx</c> (the network) and <c>ResNetPreprocess.onnx</c> (its mean image). Only local files are
/// looked at.
/// </summary>
internal static class ResNet18ModelFiles
{
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    public const string PackageVersion = "0.23.1";
    public const string NetworkFile = "ResNet18.onnx";
    public const string PreprocessFile = "ResNetPreprocess.onnx";
    private const string NetworkFolder = "ResNet18Onnx";
    private const string PreprocessFolder = "ResNetPrepOnnx";
    private const string ModelsFolder = "DnnImageModels";

    /// <summary>The network and preprocessing files.</summary>
    /// <exception cref="FileNotFoundException">Neither the given folder nor any default place holds them; the message
    /// lists where it looked and how to provide them.</exception>
    public static (string Network, string Preprocess) Locate(string? directory)
    {
        var candidates = directory is not null ? [directory] : DefaultDirectories().ToList();
        foreach (var candidate in candidates)
        {
            var network = Find(candidate, NetworkFolder, NetworkFile);
            var preprocess = Find(candidate, PreprocessFolder, PreprocessFile);
            if (network is not null && preprocess is not null)
            {
                return (network, preprocess);
            }
        }

        throw new FileNotFoundException(
            $"The pretrained ResNet-18 ({NetworkFile} and {PreprocessFile}) was not found in: {string.Join("; ", candidates)}. " +
            $"Reference the NuGet package {PackageId} {PackageVersion} (its build step copies {ModelsFolder}/ next to the " +
            "application), or point ResNet18FeatureLossOptions.ModelDirectory at a folder holding both files; or invert " +
            "pixel-only (InversionOptions.FeatureLossWeight = 0).",
            NetworkFile);
    }

    private static IEnumerable<string> DefaultDirectories()
    {
        yield return Path.Combine(AppContext.BaseDirectory, ModelsFolder);
        var assemblyDirectory = Path.GetDirectoryName(typeof(ResNet18ModelFiles).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return Path.Combine(assemblyDirectory, ModelsFolder);
        }

        // The package as restored into the local NuGet cache (NUGET_PACKAGES, else ~/.nuget/packages).
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        yield return Path.Combine(cache, PackageId.ToLowerInvariant(), PackageVersion, "tools", ModelsFolder);
    }

    private static string? Find(string directory, string folder, string file)
    {
        foreach (var path in new[] { Path.Combine(directory, folder, file), Path.Combine(directory, file) })
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
