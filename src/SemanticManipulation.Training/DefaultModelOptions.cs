using SemanticManipulation.Editing;
using SemanticManipulation.Dissection;
using SemanticManipulation.Inversion;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Training;

/// <summary>
/// Every stage's options for building the embedded default model (or a host's own, on its own data). A new instance
/// holds the shipped 128² model's recipe; <see cref="ForResolution"/> gives the first default model's 64² one.
/// </summary>
public sealed class DefaultModelOptions
{
    /// <summary>The sides <see cref="ForResolution"/> has recipes for.</summary>
    public static IReadOnlyList<int> Resolutions { get; } = [64, 128];

    /// <summary>
    /// The recipe for a model of <paramref name="side"/>² pixels. 128 gives the defaults below (the shipped model's); 64
    /// the first default model's: a five-block generator (256→16) trained 8,000 steps on the world as it is, judged
    /// on whole batches by the semantic discriminator, a 64² segmenter of three stages, checkpoints at the stages' own
    /// intervals. Both split at layer4 (8×8) and perturb every block from 32² up.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="side"/> has no recipe (see <see cref="Resolutions"/>).</exception>
    public static DefaultModelOptions ForResolution(int side)
    {
        var options = new DefaultModelOptions();
        switch (side)
        {
            case 128:
                break;
            case 64:
                options.Segmenter = new SegmenterTrainingOptions();
                options.Gan.BlockChannels = [256, 128, 64, 32, 16];
                options.Gan.Steps = 8_000;
                options.Gan.SemanticBatchSize = null;
                options.Gan.CheckpointInterval = new GanTrainingOptions().CheckpointInterval;
                options.GanFinishingWorld = null;
                options.GanFinishingFromStep = 0;
                options.Encoder.CheckpointInterval = new EncoderTrainingOptions().CheckpointInterval;
                options.Dissection.UnitsPerConcept = 40;
                options.Dissection.Intensities = new IntensityUnitCounts(10, 20, 30);
                options.Dissection.CausalRanking = new CausalRankingOptions { Candidates = 48, Samples = 32 };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(side), side, $"There is a recipe for {string.Join(" and ", Resolutions)} pixels; for another size set the stages' options yourself.");
        }

        return options;
    }

    /// <summary>
    /// The generator: 128², z = 128, channels 256, 256, 128, 64, 32, 16 (layer4 has 256 units, so the dissection has
    /// more specific units to choose from than the 64² model's 128), 15,000 steps of batch 16, with the semantic
    /// discriminator (weight 1) judging the segmenter's class maps of 4 of each batch's 16 images beside the pixel one,
    /// and a checkpoint every 100 steps: 1.47 s a step on two cores on average, about 6 hours. Without the semantic discriminator
    /// the 64² generator drew stone walls at 40 % and domes at half the world's share; judging the whole batch cost 2.3
    /// of a 128² step's 5.3 s (its U-Net segmenter costs more than both networks), a quarter of it 0.6 s.
    /// </summary>
    public GanTrainingOptions Gan { get; set; } = new()
    {
        LatentSize = 128,
        BlockChannels = [256, 256, 128, 64, 32, 16],
        Steps = 15_000,
        BatchSize = 16,
        SemanticWeight = 1,
        SemanticBatchSize = 4,
        CheckpointInterval = 100,
    };

    /// <summary>
    /// The scene distribution the GAN's real images come from after step <see cref="GanFinishingFromStep"/>; null: the
    /// world's own throughout. A GAN that draws a mode too rarely sees more of it, so that it ends up drawing it as
    /// often as the world does; everything else (the segmenter, the dissection, the encoder and every measurement) uses
    /// the world as given.
    /// </summary>
    /// <remarks>
    /// The 128² GAN had every class but one within 25 % of the world's share after 13,000 steps; domes stayed at half
    /// (0.4 % at 3,500 steps, 1.1 % at 10,000, 0.9 % at 13,000, against 1.8 %): it drew domed churches on a few of every
    /// 32 scenes where the world has a dome on a dozen, and neither a semantic discriminator four times as strong, nor a
    /// loss on the segmenter's class shares, nor a shorter weight average brought them back. So from step 13,000 its
    /// real images come from a world with domes on 60 % of main buildings instead of 42 % and stone on 50 % instead of
    /// 45 % (stone was 23 % short). Shown domes on 75 % and stone on 55 %, it overshot: domes +22 %, roofs −35 %.
    /// </remarks>
    public SceneWorldOptions? GanFinishingWorld { get; set; } = new() { DomeChance = 0.6f, BrickChance = 0.5f };

    /// <summary>The GAN step after which <see cref="GanFinishingWorld"/> supplies the real images (0 or more).</summary>
    public int GanFinishingFromStep { get; set; } = 13_000;

    /// <summary>
    /// The segmenter that judges edits, drives dissection and, trained first, the GAN's semantic discriminator: at 128²
    /// one more U-Net stage than at 64² keeps its receptive field the same share of the picture, and a batch of 16 keeps
    /// a step near a second on two cores (2,000 steps, about 50 minutes).
    /// </summary>
    public SegmenterTrainingOptions Segmenter { get; set; } = new()
    {
        Resolution = 128,
        Depth = 4,
        BatchSize = 16,
        Steps = 2000,
    };

    /// <summary>
    /// The dissection that ranks units per concept: by IoU first, then each concept's 96 best by causal effect (switched
    /// on in squares of 32 random scenes), keeping up to 64 and dropping those that work against the rest. Its intensities
    /// use 20, 35 and 50 units instead of the Studio's 4, 10 and 15: these small generators' layer4 units are far less
    /// specific than the authors' 512, and at 128² each unit is weaker still than at 64². With 48 candidates and 30 units
    /// the 128² model's trees reached half a 48×48 square on 16 of 20 tuning images (100–119); with 96 candidates and
    /// 40, 50 or 60 units, on 19, 19 and 17 of 20, and the tree-shaped masks on 19, 20 and 20 of 20. The 64² recipe
    /// (<see cref="ForResolution"/>) keeps its 48 candidates, 40 units and 10/20/30.
    /// </summary>
    public DissectionOptions Dissection { get; set; } = new()
    {
        QuantileSamples = 2000,
        SegmentationSamples = 1000,
        BatchSize = 25,
        Seed = 3,
        UnitsPerConcept = 64,
        Intensities = new IntensityUnitCounts(20, 35, 50),
        CausalRanking = new CausalRankingOptions { Candidates = 96, Samples = 32 },
    };

    /// <summary>
    /// The hybrid encoder: a quarter-width ResNet-18 trunk and short stages, checkpointed every 100 steps. It only has
    /// to start the residual refinement near the answer, and these small generators need far less than the authors'
    /// 256² one; at width 32 and the authors' step counts this stage alone would take hours on two cores.
    /// </summary>
    public EncoderTrainingOptions Encoder { get; set; } = new()
    {
        TrunkSteps = 1500,
        InverterSteps = 500,
        JointSteps = 300,
        BatchSize = 16,
        Seed = 5,
        ProgressInterval = 50,
        CheckpointInterval = 100,
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
