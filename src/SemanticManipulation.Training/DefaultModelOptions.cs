using SemanticManipulation.Editing;
using SemanticManipulation.Dissection;
using SemanticManipulation.Inversion;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training;

/// <summary>Every stage's options for building the embedded default model (or a host's own, on its own data).</summary>
public sealed class DefaultModelOptions
{
    /// <summary>The sides <see cref="ForResolution"/> has recipes for.</summary>
    public static IReadOnlyList<int> Resolutions { get; } = [64, 128];

    /// <summary>
    /// The recipe for a model of <paramref name="side"/>² pixels. 64 gives the defaults below (the shipped default
    /// model's); 128 keeps the split at layer4 (8×8) and the perturbation rule (every block from 32² up: layer8, 10, 12),
    /// and widens layer4 to 256 units so the dissection has more specific units to choose from.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="side"/> has no recipe (see <see cref="Resolutions"/>).</exception>
    public static DefaultModelOptions ForResolution(int side)
    {
        var options = new DefaultModelOptions();
        switch (side)
        {
            case 64:
                break;
            case 128:
                // One more U-Net stage keeps the segmenter's receptive field the same share of the picture; the smaller
                // batch keeps a step near a second on two cores.
                options.Segmenter.Resolution = 128;
                options.Segmenter.Depth = 4;
                options.Segmenter.BatchSize = 16;
                options.Segmenter.Steps = 2000;
                options.Gan.BlockChannels = [256, 256, 128, 64, 32, 16];
                // After 13,000 steps every class but one was within 25 % of the world's share; domes stayed at half (0.4 %
                // at 3,500 steps, 1.1 % at 10,000, 0.9 % at 13,000, against 1.8 %): the generator drew domed churches on
                // a few of every 32 scenes where the world has a dome on a dozen, and neither a semantic discriminator four
                // times as strong, nor a loss on the segmenter's class shares, nor a shorter weight average brought
                // them back. So after 13,000 steps the real images come from a world with more domed churches (and stone
                // walls, 23 % short), where the generator has to draw them. Shown domes on 75 % of main buildings instead
                // of 42 % (and stone on 55 % instead of 45 %), it overshot: domes +22 %, roofs −35 %, stone +1 %, brick
                // −14 %; 60 % and 50 % sit between that and the world's own.
                options.Gan.Steps = 15_000;
                options.GanFinishingWorld = new SceneWorldOptions { DomeChance = 0.6f, BrickChance = 0.5f };
                options.GanFinishingFromStep = 13_000;
                // Steps take seconds at this size and a session can end at any moment: checkpoint every few minutes (the
                // encoder below too).
                options.Gan.CheckpointInterval = 100;
                // The 128² segmenter the semantic discriminator looks through cost 2.3 of a step's 5.3 s on the whole
                // batch here; on a quarter of it, 0.6 s.
                options.Gan.SemanticBatchSize = 4;
                options.Encoder.Encoder = new HybridEncoderOptions { TrunkWidth = 16 };
                options.Encoder.CheckpointInterval = 100;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(side), side, $"There is a recipe for {string.Join(" and ", Resolutions)} pixels; for another size set the stages' options yourself.");
        }

        return options;
    }

    /// <summary>
    /// The generator: 64², z = 128, channels 256→16, 8k steps of batch 16, with the semantic discriminator (weight 1)
    /// judging the segmenter's class maps beside the pixel one: 0.50 s a step on two cores (0.44 without it), about 67
    /// minutes, most of the two-hour budget. Without the semantic discriminator the same GAN drew stone walls at 40 % and
    /// domes at half the world's share. The shipped default model was trained with these.
    /// </summary>
    public GanTrainingOptions Gan { get; set; } = new()
    {
        LatentSize = 128,
        BlockChannels = [256, 128, 64, 32, 16],
        Steps = 8_000,
        BatchSize = 16,
        SemanticWeight = 1,
    };

    /// <summary>
    /// The scene distribution the GAN's real images come from after step <see cref="GanFinishingFromStep"/>; null: the
    /// world's own throughout. A GAN that draws a mode too rarely (at 128², domed churches at half the world's share)
    /// sees more of it, so that it ends up drawing it as often as the world does; everything else (the segmenter, the
    /// dissection, the encoder and every measurement) uses the world as given.
    /// </summary>
    public SceneWorldOptions? GanFinishingWorld { get; set; }

    /// <summary>The GAN step after which <see cref="GanFinishingWorld"/> supplies the real images (0 or more).</summary>
    public int GanFinishingFromStep { get; set; }

    /// <summary>The segmenter that judges edits, drives dissection and, trained first, the GAN's semantic discriminator.</summary>
    public SegmenterTrainingOptions Segmenter { get; set; } = new();

    /// <summary>
    /// The dissection that ranks units per concept: by IoU first, then each concept's 48 best by causal effect (switched
    /// on in squares of 32 random scenes), keeping up to 40 and dropping those that work against the rest. Its intensities
    /// use 10, 20 and 30 units instead of the Studio's 4, 10 and 15: this 128-channel layer4's units are far less specific
    /// than the authors' 512 (the best tree unit's IoU is 0.24). Ranked by IoU, adding trees with this generator reached
    /// half the square on none of 7 held-out images; ranked by effect, 17 of 20 (the choices were made on images 100–119).
    /// </summary>
    public DissectionOptions Dissection { get; set; } = new()
    {
        QuantileSamples = 2000,
        SegmentationSamples = 1000,
        BatchSize = 25,
        Seed = 3,
        UnitsPerConcept = 40,
        Intensities = new IntensityUnitCounts(10, 20, 30),
        CausalRanking = new CausalRankingOptions { Candidates = 48, Samples = 32 },
    };

    /// <summary>
    /// The hybrid encoder: a quarter-width ResNet-18 trunk and short stages. It only has to start the residual
    /// refinement near the answer, and a 64² generator needs far less than the authors' 256² one; at width 32 and the
    /// authors' step counts this stage alone would take hours on two cores.
    /// </summary>
    public EncoderTrainingOptions Encoder { get; set; } = new()
    {
        TrunkSteps = 1500,
        InverterSteps = 500,
        JointSteps = 300,
        BatchSize = 16,
        Seed = 5,
        ProgressInterval = 50,
        Encoder = new HybridEncoderOptions { TrunkWidth = 16 },
    };

    /// <summary>
    /// Checks every stage's options, naming the first value out of range, so that a run is refused before its first
    /// stage rather than when a later stage starts, hours in.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range (<see cref="ArgumentOutOfRangeException"/> for most).</exception>
    public void Validate()
    {
        Segmenter.Validate();
        Gan.Validate();
        GanFinishingWorld?.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(GanFinishingFromStep, nameof(GanFinishingFromStep));
        Dissection.Validate();
        Encoder.Validate();
    }
}
