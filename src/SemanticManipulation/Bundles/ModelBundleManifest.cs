using System.Text.Json.Serialization;

namespace SemanticManipulation.Bundles;

/// <summary>
/// <c>bundle.json</c>: what a model bundle holds and how it was made. File names are relative to the bundle folder;
/// optional parts may be null.
/// </summary>
public sealed record ModelBundleManifest
{
    /// <summary>The manifest format version this SDK writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Manifest format version.</summary>
    [JsonPropertyName("format_version")]
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>A short name, e.g. <c>scene-world-64</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>What the model generates and how it was trained.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The generator checkpoint (.pth or .safetensors).</summary>
    [JsonPropertyName("generator")]
    public required string Generator { get; init; }

    /// <summary>The layer the generator is split at.</summary>
    [JsonPropertyName("split_layer")]
    public string SplitLayer { get; init; } = "layer4";

    /// <summary>The concept catalog (JSON).</summary>
    [JsonPropertyName("concepts")]
    public string? Concepts { get; init; }

    /// <summary>The hybrid encoder checkpoint.</summary>
    [JsonPropertyName("encoder")]
    public string? Encoder { get; init; }

    /// <summary>The segmenter checkpoint.</summary>
    [JsonPropertyName("segmenter")]
    public string? Segmenter { get; init; }

    /// <summary>Measurements made when the bundle was built (e.g. quality numbers), by name.</summary>
    [JsonPropertyName("measurements")]
    public IReadOnlyDictionary<string, double>? Measurements { get; init; }

    /// <summary>Free-form provenance: seeds, step counts, training times.</summary>
    [JsonPropertyName("provenance")]
    public IReadOnlyDictionary<string, string>? Provenance { get; init; }
}
