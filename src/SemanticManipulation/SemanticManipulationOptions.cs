using SemanticManipulation.Generators;

namespace SemanticManipulation;

/// <summary>Configuration of the SDK's default model parts, bound by <c>AddSemanticManipulation</c>.</summary>
public sealed class SemanticManipulationOptions
{
    /// <summary>
    /// A model bundle folder (or its <c>bundle.json</c>), e.g. the embedded default model's <c>DefaultModel.Directory</c>:
    /// its generator, concept catalog, encoder and segmenter are used for every part not configured by a path below or
    /// registered by the host. Loaded on first use.
    /// </summary>
    public string? BundlePath { get; set; }

    /// <summary>
    /// The generator checkpoint to load (<c>.pth</c> or <c>.safetensors</c>) when no <see cref="ILayerSplitGenerator"/>
    /// is registered by the host.
    /// </summary>
    public string? GeneratorPath { get; set; }

    /// <summary>How the default generator is built: split layer, perturbation points, clamp, device. A bundle's generator
    /// is split where its manifest says unless the split layer is set to another than the default.</summary>
    public ProGanOptions Generator { get; set; } = new();

    /// <summary>
    /// The concept catalog to load (this SDK's JSON schema or the authors' dissection JSON) when no
    /// <see cref="IConceptCatalog"/> is registered by the host. Null (and no bundle): <c>add</c> and <c>remove</c> say
    /// that a catalog is needed.
    /// </summary>
    public string? ConceptCatalogPath { get; set; }

    /// <summary>
    /// The hybrid encoder to load (this SDK's <c>.safetensors</c> or the authors' <c>.pth</c>) for inversion's first
    /// guess when no <see cref="IRepresentationEncoder"/> is registered by the host. Null: inversion starts from the
    /// generator's mean features.
    /// </summary>
    public string? EncoderPath { get; set; }

    /// <summary>The segmenter that judges edits (this SDK's <c>.safetensors</c>) when no <see cref="ISegmenter"/> is
    /// registered by the host. Null (and no bundle): edits are not judged.</summary>
    public string? SegmenterPath { get; set; }

    /// <summary>Where the feature loss φ (the packaged ImageNet ResNet-18) is read from, and which features it uses, when
    /// inversion uses it (<c>UseResNet18FeatureLoss()</c>).</summary>
    public FeatureLosses.ResNet18FeatureLossOptions FeatureLoss { get; set; } = new();

    /// <summary>
    /// Threads each tensor operation may use (libtorch's intra-op threads, process-wide; see
    /// <see cref="Runtime.TorchRuntime.UseThreads"/>), set when the editor or the configured model is first resolved (so
    /// also with a host's own generator). Null leaves libtorch's default, one per core, which measured fastest on the
    /// two-core machines this SDK is benchmarked on (README, "Speed"); where other processes keep the cores busy, fewer (libtorch's threads wait for each other after every operation, so one
    /// that shares its core stalls them all: 1 thread ran the main job 15× faster than 2 on two busy cores).
    /// </summary>
    public int? Threads { get; set; }
}
