using System.Globalization;
using System.Text.Json;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;

namespace SemanticManipulation.Training;

/// <summary>
/// The shapes of the networks a work folder's stages were made with, which every later run in that folder must share:
/// it reuses the finished stages and resumes the rest. Steps, learning rates and the finishing world may change from run
/// to run (more GAN steps continue the GAN); a network of another shape may not, or a 128² run would quietly reuse a 64²
/// run's segmenter and generator and ship a 64² model.
/// </summary>
internal sealed record WorkFolderRecipe(
    int SegmenterResolution,
    int SegmenterWidth,
    int SegmenterDepth,
    int GanLatentSize,
    IReadOnlyList<int> GanBlockChannels,
    int EncoderTrunkWidth,
    IReadOnlyList<int> EncoderTrunkBlocks)
{
    /// <summary>The file in the work folder that records the recipe.</summary>
    public const string FileName = "recipe.json";

    /// <summary>The recipe <paramref name="options"/> ask for.</summary>
    public static WorkFolderRecipe Of(DefaultModelOptions options) => new(
        options.Segmenter.Resolution,
        options.Segmenter.Width,
        options.Segmenter.Depth,
        options.Gan.LatentSize,
        [.. options.Gan.BlockChannels],
        options.Encoder.Encoder.TrunkWidth,
        [.. options.Encoder.Encoder.TrunkBlocks]);

    /// <summary>
    /// Refuses, before any stage runs, a run whose networks differ from those <paramref name="workDirectory"/>'s stages
    /// were made with (as its recipe file records, or, in a folder made before the file was written, as its segmenter
    /// and generator show), and records the recipe in a folder that has none.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds another model's stages.</exception>
    /// <exception cref="InvalidDataException">The folder's recipe file is damaged.</exception>
    public static void Claim(string workDirectory, DefaultModelOptions options)
    {
        var wanted = Of(options);
        var path = Path.Combine(workDirectory, FileName);
        var recorded = File.Exists(path) ? Read(path) : null;
        var differences = recorded is null ? DifferencesFromStages(workDirectory, wanted) : recorded.DifferencesFrom(wanted);
        if (differences.Count > 0)
        {
            throw new ArgumentException(
                $"The work folder {workDirectory} holds the stages of another model ({string.Join("; ", differences)}). " +
                "Give this run a work folder of its own, or delete that one to start over.");
        }

        if (recorded is null)
        {
            AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, wanted, Json));
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static WorkFolderRecipe Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkFolderRecipe>(File.ReadAllText(path), Json) is { GanBlockChannels: not null, EncoderTrunkBlocks: not null } recipe
                ? recipe
                : throw new InvalidDataException($"{path} is incomplete: delete it (the next run writes it again from its options).");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a recipe ({ex.Message}): delete it (the next run writes it again from its options).", ex);
        }
    }

    /// <summary>What a folder made before recipes were recorded shows of its networks: the finished segmenter's depth and
    /// the finished generator's latent size and channels (unfinished stages refuse another shape when they resume).</summary>
    private static List<string> DifferencesFromStages(string workDirectory, WorkFolderRecipe wanted)
    {
        var differences = new List<string>();
        var segmenterPath = SegmenterTrainer.ResultPath(Path.Combine(workDirectory, "segmenter"));
        if (File.Exists(segmenterPath))
        {
            using var segmenter = ConvolutionalSegmenter.Load(segmenterPath);
            Compare(differences, "segmenter depth", int.Log2(segmenter.Stride), wanted.SegmenterDepth);
        }

        var generatorPath = GanTrainer.ResultPath(Path.Combine(workDirectory, "gan"));
        if (File.Exists(generatorPath))
        {
            using var generator = ProGanGenerator.Load(generatorPath);
            Compare(differences, "GAN latent size", generator.LatentSize, wanted.GanLatentSize);
            Compare(differences, "GAN channels", generator.Architecture.BlockChannels, wanted.GanBlockChannels);
        }

        return differences;
    }

    private List<string> DifferencesFrom(WorkFolderRecipe wanted)
    {
        var differences = new List<string>();
        Compare(differences, "segmenter resolution", SegmenterResolution, wanted.SegmenterResolution);
        Compare(differences, "segmenter width", SegmenterWidth, wanted.SegmenterWidth);
        Compare(differences, "segmenter depth", SegmenterDepth, wanted.SegmenterDepth);
        Compare(differences, "GAN latent size", GanLatentSize, wanted.GanLatentSize);
        Compare(differences, "GAN channels", GanBlockChannels, wanted.GanBlockChannels);
        Compare(differences, "encoder trunk width", EncoderTrunkWidth, wanted.EncoderTrunkWidth);
        Compare(differences, "encoder trunk blocks", EncoderTrunkBlocks, wanted.EncoderTrunkBlocks);
        return differences;
    }

    private static void Compare(List<string> differences, string what, int made, int wanted)
    {
        if (made != wanted)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {made}, this run {wanted}"));
        }
    }

    private static void Compare(List<string> differences, string what, IReadOnlyList<int> made, IReadOnlyList<int> wanted)
    {
        if (!made.SequenceEqual(wanted))
        {
            differences.Add($"{what} {string.Join(",", made)}, this run {string.Join(",", wanted)}");
        }
    }
}
