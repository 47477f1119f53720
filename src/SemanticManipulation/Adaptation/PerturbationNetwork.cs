using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// The paper's perturbation network R. Its input is a fixed random noise tensor at the finest perturbation point's
/// resolution (never trained). Down-sampling conv stages follow, one per perturbation point from the finest to the
/// coarsest; each emits the features for the next stage and, through a zero-initialised head, δ at its resolution
/// and channel count. On the authors' 256² layout this is four stages emitting δ at 256², 128², 64², 32² with 32, 64,
/// 128, 256 channels (the two finest folded, see below: the stages are 64, 64, 128 and 256 wide).
/// </summary>
/// <remarks>
/// <para>The authors did not publish the stage internals. Each stage here is conv3×3 (stride = resolution ratio) →
/// LeakyReLU(0.2) → conv3×3 → LeakyReLU(0.2); the head is a conv3×3 whose weights and bias start at zero, so G' = G
/// before fitting while gradients still reach the head at step 0. Every conv has an equalised learning rate and the
/// head reads centred features (see <see cref="Stage"/>), so R trains at free δ's pace and gains PSNR from its first
/// step.</para>
/// <para>No stage runs finer than <see cref="MaxStageResolution"/>² where the point's size can be halved: a finer
/// point's stage runs at its resolution halved until it fits (f times coarser), at least <see cref="MinFoldedStageWidth"/>
/// wide, and its head emits f² times the point's channels, rearranged into δ at the point's resolution (a sub-pixel
/// convolution); the noise is read the same way, f×f pixels per position.
/// A stage at the point's own resolution has too few weights for δ there: at 128² a 16-wide stage's head has 2.3 k
/// weights for δ's 262 k values, and R ended 17 dB short of free δ's kept-pixel PSNR after 1000 steps; folded, it
/// passes free δ (51.8 against 51.1 dB), and on the authors' 256² layout R went from 3.7 dB short of free δ to 11 dB
/// past it (61.0 against 49.6 dB), at about the multiply-adds per step of the unfolded stages (2.5× them at 128², where
/// the unfolded stages were narrow). Generators up to 64² keep the stages as they were.</para>
/// </remarks>
public sealed class PerturbationNetwork : Perturbation
{
    // Saved states hold the fixed input under this key; as a persistent buffer it is saved, loaded and moved with the weights.
    internal const string NoiseKey = "noise";

    /// <summary>The finest resolution at which a stage of R runs; finer points are reached through sub-pixel heads.</summary>
    public const int MaxStageResolution = 64;

    /// <summary>The least width of a stage that serves a point finer than <see cref="MaxStageResolution"/>.</summary>
    public const int MinFoldedStageWidth = 64;

    private readonly Stage[] _stages;
    private readonly PerturbationPoint[] _pointsByResolution;

    [ComponentName(Name = NoiseKey)]
    private readonly Tensor _noise;

    /// <summary>Builds R for <paramref name="points"/>, with weights and noise drawn from <paramref name="seed"/>.</summary>
    /// <param name="points">The perturbation points. Resolutions must differ by integer factors.</param>
    /// <param name="seed">Seed for the weights and the fixed noise input.</param>
    /// <param name="noiseChannels">Channels of the noise input at the finest point's resolution (32 in the paper).</param>
    public PerturbationNetwork(IReadOnlyList<PerturbationPoint> points, long seed, int noiseChannels = 32)
        : this(points, seed, noiseChannels, MaxStageResolution)
    {
    }

    private PerturbationNetwork(IReadOnlyList<PerturbationPoint> points, long seed, int noiseChannels, int maxStageResolution)
        : base(nameof(PerturbationNetwork), points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(noiseChannels, 1);
        _pointsByResolution = Points.OrderByDescending(p => p.Shape.Height).ThenBy(p => p.LayerName, StringComparer.Ordinal).ToArray();
        int FoldOf(FeatureShape shape)
        {
            var fold = 1;
            while (shape.Height / fold > maxStageResolution && shape.Height % (fold * 2) == 0 && shape.Width % (fold * 2) == 0)
            {
                fold *= 2;
            }

            return fold;
        }

        using var scope = NewDisposeScope();
        using var random = new Generator(0, CPU).manual_seed(seed);
        var first = _pointsByResolution[0].Shape;
        var noiseFold = FoldOf(first);
        // Owned by the module (a buffer): detached from any scope the caller may have open.
        var noise = randn([1, noiseChannels, first.Height, first.Width], generator: random);
        _noise = (noiseFold > 1 ? nn.functional.pixel_unshuffle(noise, noiseFold).contiguous() : noise).DetachFromDisposeScope();

        _stages = new Stage[_pointsByResolution.Length];
        var inputChannels = noiseChannels * noiseFold * noiseFold;
        var inputHeight = first.Height / noiseFold;
        for (var i = 0; i < _stages.Length; i++)
        {
            var shape = _pointsByResolution[i].Shape;
            var fold = FoldOf(shape);
            var stageHeight = shape.Height / fold;
            if (inputHeight % stageHeight != 0)
            {
                throw new ArgumentException(
                    $"Perturbation point '{_pointsByResolution[i].LayerName}' ({shape}) needs a stage at {stageHeight}×{stageHeight}, which is not an " +
                    $"integer down-sampling of the previous stage's {inputHeight}×{inputHeight} (stages finer than {maxStageResolution}² run at half " +
                    "resolution until they fit, so finer points must be a power-of-two multiple of the coarser ones).",
                    nameof(points));
            }

            // One stage per point, named stage1…stageN in the state dict (the saved-state format).
            var width = fold > 1 ? Math.Max(shape.Channels, MinFoldedStageWidth) : shape.Channels;
            _stages[i] = new Stage($"stage{i + 1}", inputChannels, width, shape.Channels, fold, inputHeight / stageHeight, random);
            register_module($"stage{i + 1}", _stages[i]);
            inputChannels = width;
            inputHeight = stageHeight;
        }

        RegisterComponents();
    }

    /// <summary>R with every stage at its point's own resolution, the layout states were saved with before stages
    /// were folded.</summary>
    internal static PerturbationNetwork WithUnfoldedStages(IReadOnlyList<PerturbationPoint> points, long seed, int noiseChannels) =>
        new(points, seed, noiseChannels, int.MaxValue);

    /// <summary>An R with unfolded stages when <paramref name="state"/> was saved from one (its noise is at the finest
    /// point's own resolution) and this R folds (its own noise is not); null when the state fits this R's layout.</summary>
    internal PerturbationNetwork? UnfoldedLayoutFor(IReadOnlyDictionary<string, Tensor> state, long seed)
    {
        var finest = _pointsByResolution[0].Shape.Height;
        return _noise.shape[2] != finest && state.TryGetValue(NoiseKey, out var noise) && noise.ndim == 4 && noise.shape[2] == finest
            ? WithUnfoldedStages(Points, seed, (int)noise.shape[1])
            : null;
    }

    /// <inheritdoc />
    public override string Kind => PerturbationKinds.Network;

    /// <inheritdoc />
    /// <remarks>R's δ is a function of shared conv weights, so a constant rate leaves it circling its optimum several dB
    /// short of where a decaying rate lets it settle; free δ, one parameter per value, gets there at the paper's
    /// constant rate.</remarks>
    public override LearningRateSchedule DefaultSchedule => LearningRateSchedule.PlateauThenCosine;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Compute()
    {
        using var scope = NewDisposeScope();
        var deltas = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        // Channels-last, like the generator's large layers: oneDNN's NHWC kernels are the faster ones at these sizes
        // and exact for any channel count, and the δ it hands the generator then has the layout of the layer it scales.
        var x = Networks.ChannelsLast.Of(_noise);
        for (var i = 0; i < _stages.Length; i++)
        {
            var (features, delta) = _stages[i].Run(x);
            deltas[_pointsByResolution[i].LayerName] = delta.MoveToOuterDisposeScope();
            x = features;
        }

        return deltas;
    }

    /// <summary>
    /// Makes an R whose weights were loaded from a state saved before R had equalised learning rates and centred head
    /// inputs (plain conv weights) compute the δ it computed then: the weights are rescaled and the heads read the
    /// features as they are.
    /// </summary>
    internal void ConvertFromVersion1()
    {
        foreach (var stage in _stages)
        {
            stage.ConvertFromVersion1();
        }
    }

    /// <summary>One down-sampling stage and its δ head, with equalised learning rates.</summary>
    /// <remarks>
    /// Every conv keeps its weights at a fixed scale and multiplies them by its He constant when it runs (ProGAN's equalised
    /// learning rate), so Adam moves every layer by the same relative amount per step whatever its fan-in. With plain
    /// weights, a 512-channel stage's weights (std 0.02) moved by half their size in one step at lr 0.01: R at 256²
    /// blew δ up to millions within 25 steps. The head's constant, 1/√fan-in, makes a step move δ by about the learning
    /// rate, as a step of free δ does.
    /// </remarks>
    private sealed class Stage : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // Field names are the state-dict key names.
        private readonly Conv2d down;
        private readonly Conv2d body;
        private readonly Conv2d head;
#pragma warning restore IDE1006
        private readonly Scalar _downScale;
        private readonly Scalar _bodyScale;
        private readonly Scalar _headScale;
        private readonly long _stride;
        private readonly long _fold;
        private bool _centred = true;

        // The body and down convs learn at twice the head's pace: their weights are stored at half scale and doubled
        // when they run, so the same Adam step is twice as large a change. The first default model's (64²) main job reached
        // 38.5 dB at the head's pace, 39.8 at twice it and 40.6 at four times, while the 256² proxy lost 1 dB at four
        // times and nothing at twice.
        private const double BodyPace = 2;

        // fold: how many times finer than the stage δ is; the head emits fold² × deltaChannels channels, rearranged into δ.
        public Stage(string name, int inputChannels, int width, int deltaChannels, int fold, int stride, Generator random)
            : base(name)
        {
            down = nn.Conv2d(inputChannels, width, 3, stride: stride, padding: 1);
            body = nn.Conv2d(width, width, 3, stride: 1, padding: 1);
            head = nn.Conv2d(width, deltaChannels * fold * fold, 3, stride: 1, padding: 1);
            _stride = stride;
            _fold = fold;
            var gain = Math.Sqrt(2.0 / (1 + (HeldScalars.LeakySlopeValue * HeldScalars.LeakySlopeValue)));
            _downScale = BodyPace * gain / Math.Sqrt(inputChannels * 9.0);
            _bodyScale = BodyPace * gain / Math.Sqrt(width * 9.0);
            _headScale = 1 / Math.Sqrt(width * 9.0);
            using (no_grad())
            {
                // Seeded weights for the body (the He constant and the pace are applied at run time), zeros for the head
                // so δ starts at 0.
                foreach (var conv in new[] { down, body })
                {
                    conv.weight!.normal_(0, 1 / BodyPace, random);
                    conv.bias!.zero_();
                }

                head.weight!.zero_();
                head.bias!.zero_();
            }

            RegisterComponents();
        }

        public (Tensor Features, Tensor Delta) Run(Tensor input)
        {
            // In place: a conv's backward needs its input and weight, not its output.
            var features = nn.functional.conv2d(input, down.weight! * _downScale, down.bias, strides: [_stride, _stride], padding: [1, 1])
                .leaky_relu_(HeldScalars.LeakySlope);
            features = nn.functional.conv2d(features, body.weight! * _bodyScale, body.bias, padding: [1, 1]).leaky_relu_(HeldScalars.LeakySlope);
            // The head reads the features less their mean over the image. LeakyReLU features have a positive mean, and
            // Adam moves each of the head's 9·C weights by about the learning rate in the direction of its gradient's
            // sign, which for a shared mean is the same for all: their steps add up in δ's mean instead of averaging
            // out, and the first step threw the 128² proxy from 15 to 4 dB. Centred, the head's weights learn δ's
            // pattern and its bias its mean, each at free δ's pace.
            var headInput = _centred ? features - features.mean([2, 3], keepdim: true) : features;
            var delta = nn.functional.conv2d(headInput, head.weight! * _headScale, head.bias, padding: [1, 1]);
            return (features, _fold > 1 ? nn.functional.pixel_shuffle(delta, _fold) : delta);
        }

        public override Tensor forward(Tensor input) => Run(input).Delta;

        public void ConvertFromVersion1()
        {
            _centred = false;
            using var noGrad = no_grad();
            down.weight!.div_(_downScale);
            body.weight!.div_(_bodyScale);
            head.weight!.div_(_headScale);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _downScale.Dispose();
                _bodyScale.Dispose();
                _headScale.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
