using System.Globalization;
using System.Text.Json;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using SemanticManipulation.Training.Checkpointing;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;

namespace SemanticManipulation.Training;

/// <summary>
/// The shapes of the networks a work folder's stages were made with, which every later run in that folder must share:
/// it reuses the finished stages and resumes the rest. Steps, learning rates and the finishing world may change from run
/// to run (more GAN steps continue the GAN); a network of another shape may not, or a 128² run would quietly reuse a 64²
/// run's segmenter and generator and ship a 64² model.
/// </summary>
/// <remarks>
/// The stages on disk are the evidence: a checkpoint's options, a finished segmenter's width and depth, a finished GAN's
/// architecture, a finished encoder's trunk. The recorded recipe (<see cref="FileName"/>) adds the one thing no file
/// shows, the resolution a finished segmenter was trained at, and is rewritten by every run that was let in.
/// </remarks>
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

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

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
    /// were made with, and records the recipe of a run it lets in.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds another model's stages.</exception>
    /// <exception cref="InvalidDataException">A stage's file or the recorded recipe cannot be read (the message says which
    /// file to delete).</exception>
    public static void Claim(string workDirectory, DefaultModelOptions options)
    {
        var wanted = Of(options);
        var recipePath = Path.Combine(workDirectory, FileName);
        var differences = new List<string>();
        CompareSegmenter(Path.Combine(workDirectory, "segmenter"), recipePath, wanted, differences);
        CompareGan(Path.Combine(workDirectory, "gan"), wanted, differences);
        // A finished encoder, or else the weights of an encoder stage in progress (its checkpoint's commit point).
        var encoder = Path.Combine(workDirectory, "encoder.safetensors");
        CompareEncoder(File.Exists(encoder) ? encoder : Path.Combine(workDirectory, "encoder", "encoder.safetensors"), wanted, differences);
        if (differences.Count > 0)
        {
            throw new ArgumentException(
                $"The work folder {workDirectory} holds the stages of another model ({string.Join("; ", differences)}). " +
                "Give this run a work folder of its own, or delete that one to start over.");
        }

        AtomicFile.Write(recipePath, stream => JsonSerializer.Serialize(stream, wanted, Json));
    }

    private static void CompareSegmenter(string directory, string recipePath, WorkFolderRecipe wanted, List<string> differences)
    {
        if (SavedOptions(directory, SegmenterTrainer.CheckpointName) is { } json)
        {
            var saved = Parse(json, directory, root => (Int(root, "Resolution"), Int(root, "Width"), Int(root, "Depth")));
            Compare(differences, "segmenter resolution", saved.Item1, wanted.SegmenterResolution);
            Compare(differences, "segmenter width", saved.Item2, wanted.SegmenterWidth);
            Compare(differences, "segmenter depth", saved.Item3, wanted.SegmenterDepth);
            return;
        }

        var result = SegmenterTrainer.ResultPath(directory);
        if (!File.Exists(result))
        {
            return;
        }

        var metadata = Metadata(result);
        Compare(differences, "segmenter width", Number(metadata, "width", result), wanted.SegmenterWidth);
        Compare(differences, "segmenter depth", Number(metadata, "depth", result), wanted.SegmenterDepth);
        // Its resolution is in no file but the recipe this folder's earlier runs recorded (folders made before recipes
        // were recorded cannot say).
        if (File.Exists(recipePath))
        {
            var recorded = Read(recipePath, () =>
            {
                using var document = JsonDocument.Parse(File.ReadAllText(recipePath));
                return Int(document.RootElement, nameof(SegmenterResolution));
            }, "delete it (the finished segmenter's resolution then goes unchecked)");
            Compare(differences, "segmenter resolution", recorded, wanted.SegmenterResolution);
        }
    }

    private static void CompareGan(string directory, WorkFolderRecipe wanted, List<string> differences)
    {
        if (SavedOptions(directory, GanTrainer.CheckpointName) is { } json)
        {
            var saved = Parse(json, directory, root => (Int(root, "LatentSize"), Ints(root, "BlockChannels")));
            Compare(differences, "GAN latent size", saved.Item1, wanted.GanLatentSize);
            Compare(differences, "GAN channels", saved.Item2, wanted.GanBlockChannels);
            return;
        }

        var result = GanTrainer.ResultPath(directory);
        if (File.Exists(result))
        {
            using var generator = Checked(result, () => ProGanGenerator.Load(result));
            Compare(differences, "GAN latent size", generator.LatentSize, wanted.GanLatentSize);
            Compare(differences, "GAN channels", generator.Architecture.BlockChannels, wanted.GanBlockChannels);
        }
    }

    private static void CompareEncoder(string path, WorkFolderRecipe wanted, List<string> differences)
    {
        if (!File.Exists(path))
        {
            return;
        }

        // The trunk's shape is in its weights: the first conv's output channels, and the blocks of each ResNet stage.
        using var state = ReadState(path);
        var width = state.Tensors.TryGetValue("resnet.conv1.weight", out var first) && first.ndim == 4
            ? (int)first.shape[0]
            : throw Unreadable(path, "no 'resnet.conv1.weight'");
        var blocks = new List<int>();
        for (var stage = 1; state.Tensors.Keys.Any(k => k.StartsWith($"resnet.layer{stage}.0.", StringComparison.Ordinal)); stage++)
        {
            blocks.Add(state.Tensors.Keys.Where(k => k.StartsWith($"resnet.layer{stage}.", StringComparison.Ordinal))
                .Select(k => k.Split('.')[2]).Distinct(StringComparer.Ordinal).Count());
        }

        Compare(differences, "encoder trunk width", width, wanted.EncoderTrunkWidth);
        Compare(differences, "encoder trunk blocks", blocks, wanted.EncoderTrunkBlocks);
    }

    private static StateDict ReadState(string path) => Checked(path, () => StateDictReader.Read(path));

    private static string? SavedOptions(string directory, string name) =>
        Checked(TrainingCheckpoint.WeightsPath(directory, name), () => TrainingCheckpoint.SavedOptions(directory, name));

    /// <summary>Runs <paramref name="read"/> on a stage's file, turning a damaged file into one message.</summary>
    private static T Checked<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CheckpointFormatException ex)
        {
            throw Unreadable(path, ex.Message);
        }
    }

    private static IReadOnlyDictionary<string, string> Metadata(string path) => Checked(path, () => SafeTensorsReader.ReadMetadata(path));

    private static int Number(IReadOnlyDictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Unreadable(path, $"no whole number '{key}'");

    private static T Parse<T>(string json, string where, Func<JsonElement, T> read) => Read(where, () =>
    {
        using var document = JsonDocument.Parse(json);
        return read(document.RootElement);
    });

    /// <summary>Runs <paramref name="read"/>, turning what a damaged or foreign file makes it throw into one message.</summary>
    private static T Read<T>(string where, Func<T> read, string? advice = null)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or KeyNotFoundException or InvalidOperationException)
        {
            throw Unreadable(where, ex.Message, advice);
        }
    }

    private static int Int(JsonElement root, string name) => root.GetProperty(name).GetInt32();

    private static int[] Ints(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    private static InvalidDataException Unreadable(string path, string why, string? advice = null) =>
        new($"{path} cannot be read to check this run against the work folder ({why}); " +
            (advice ?? "delete the folder of that stage (or the whole work folder) to start it over."));

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
