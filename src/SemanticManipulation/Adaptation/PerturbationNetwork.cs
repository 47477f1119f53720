using SemanticManipulation.Generators;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// The paper's perturbation network R. Its input is a fixed random noise tensor at the coarsest perturbation point's
/// resolution (never trained). Conv stages follow, one per perturbation point from the coarsest to the finest, each
/// up-sampling to its point's resolution; each emits the features for the next stage and, through a zero-initialised
/// head, δ at its resolution and channel count. At 256² this is four stages emitting δ at 32², 64², 128², 256² with
/// 256, 128, 64, 32 channels.
/// </summary>
/// <remarks>
/// <para>The authors did not publish the stage internals. Each stage here is conv3×3 (after a nearest up-sampling by the
/// resolution ratio) → LeakyReLU(0.2) → conv3×3 → LeakyReLU(0.2); the head is a conv3×3 whose weights and bias start at
/// zero, so G' = G before fitting while gradients still reach the head at step 0. Every conv has an equalised learning
/// rate and the head reads centred features (see <see cref="Stage"/>), so R trains at free δ's pace at 64² and at 256²
/// and gains PSNR from its first step.</para>
/// <para>The stages run coarse to fine, as the generator does, because the finest δ is the largest (two million values
/// at 256²) and its stage the narrowest (32 channels): run fine to coarse from the noise, that head could only mix the
/// few hundred patterns two convs make of fixed noise, and R ended 1000 steps 3.7 dB short of free δ at 256² (45.9
/// against 49.6 dB). Coarse to fine, every head reads features that all the wide coarse stages before it have learned
/// to shape: R ends level with free δ (49.7 dB) for about 6 % more time per step. States saved before the order changed
/// (format versions 1 and 2) load into the old order and render as they did.</para>
/// </remarks>
public sealed class PerturbationNetwork : Perturbation
{
    // Saved states hold the fixed input under this key; as a persistent buffer it is saved, loaded and moved with the weights.
    private const string NoiseKey = "noise";

    private readonly Stage[] _stages;
    private readonly PerturbationPoint[] _pointsInStageOrder;

    [ComponentName(Name = NoiseKey)]
    private readonly Tensor _noise;

    /// <summary>Builds R for <paramref name="points"/>, with weights and noise drawn from <paramref name="seed"/>.</summary>
    /// <param name="points">The perturbation points. Resolutions must differ by integer factors.</param>
    /// <param name="seed">Seed for the weights and the fixed noise input.</param>
    /// <param name="noiseChannels">Channels of the noise input (32 in the paper).</param>
    public PerturbationNetwork(IReadOnlyList<PerturbationPoint> points, long seed, int noiseChannels = 32)
        : this(points, seed, noiseChannels, StageOrder.CoarseToFine)
    {
    }

    private PerturbationNetwork(IReadOnlyList<PerturbationPoint> points, long seed, int noiseChannels, StageOrder order)
        : base(nameof(PerturbationNetwork), points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(noiseChannels, 1);
        var finestFirst = Points.OrderByDescending(p => p.Shape.Height).ThenBy(p => p.LayerName, StringComparer.Ordinal);
        _pointsInStageOrder = (order == StageOrder.FineToCoarse ? finestFirst : finestFirst.Reverse()).ToArray();

        using var scope = NewDisposeScope();
        var random = new Generator(0, CPU).manual_seed(seed);
        var first = _pointsInStageOrder[0].Shape;
        // Owned by the module (a buffer): detached from any scope the caller may have open.
        _noise = randn([1, noiseChannels, first.Height, first.Width], generator: random).DetachFromDisposeScope();

        _stages = new Stage[_pointsInStageOrder.Length];
        var inputChannels = noiseChannels;
        var inputHeight = first.Height;
        for (var i = 0; i < _stages.Length; i++)
        {
            var point = _pointsInStageOrder[i];
            var (larger, smaller) = order == StageOrder.CoarseToFine ? (point.Shape.Height, inputHeight) : (inputHeight, point.Shape.Height);
            if (larger % smaller != 0)
            {
                throw new ArgumentException(
                    $"Perturbation point '{point.LayerName}' ({point.Shape}) is not an integer re-sampling of {inputHeight}×{inputHeight}; " +
                    "R needs every point's resolution to divide the next finer one's.",
                    nameof(points));
            }

            // One stage per point, named stage1…stageN in the state dict (the saved-state format).
            _stages[i] = new Stage(inputChannels, point.Shape.Channels, larger / smaller, order, random);
            register_module($"stage{i + 1}", _stages[i]);
            inputChannels = point.Shape.Channels;
            inputHeight = point.Shape.Height;
        }

        RegisterComponents();
    }

    /// <summary>The order R's stages run in, and so how each re-samples its input.</summary>
    private enum StageOrder
    {
        /// <summary>Noise at the coarsest point; each stage up-samples (its first conv is <c>up</c>).</summary>
        CoarseToFine,

        /// <summary>Noise at the finest point; each stage down-samples with a strided conv (<c>down</c>). States of
        /// format versions 1 and 2.</summary>
        FineToCoarse,
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
            deltas[_pointsInStageOrder[i].LayerName] = delta.MoveToOuterDisposeScope();
            x = features;
        }

        return deltas;
    }

    /// <summary>Builds R in the order of states saved before format version 3 (fine to coarse), to load one into.</summary>
    internal static PerturbationNetwork SavedBeforeVersion3(IReadOnlyList<PerturbationPoint> points, long seed, int noiseChannels) =>
        new(points, seed, noiseChannels, StageOrder.FineToCoarse);

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
        // State-dict names. The first conv re-samples: "up" in a coarse-to-fine stage, "down" in a fine-to-coarse one
        // (the other is null); body and head follow.
        [ComponentName(Name = "up")]
        private readonly Conv2d? _up;
        [ComponentName(Name = "down")]
        private readonly Conv2d? _down;
        [ComponentName(Name = "body")]
        private readonly Conv2d _body;
        [ComponentName(Name = "head")]
        private readonly Conv2d _head;
        private readonly Scalar _resampleScale;
        private readonly Scalar _bodyScale;
        private readonly Scalar _headScale;
        private readonly long _factor;
        private readonly bool _upsamples;
        private bool _centred = true;

        // The body and first convs learn at twice the head's pace: their weights are stored at half scale and doubled
        // when they run, so the same Adam step is twice as large a change. The shipped 64² model's main job reached
        // 38.5 dB at the head's pace, 39.8 at twice it and 40.6 at four times, while the 256² proxy lost 1 dB at four
        // times and nothing at twice.
        private const double BodyPace = 2;

        public Stage(int inputChannels, int outputChannels, int factor, StageOrder order, Generator random)
            : base(nameof(Stage))
        {
            _upsamples = order == StageOrder.CoarseToFine;
            _factor = factor;
            // Up-sampling stages convolve at the output resolution; down-sampling ones stride by the factor.
            var resample = nn.Conv2d(inputChannels, outputChannels, 3, stride: _upsamples ? 1 : factor, padding: 1);
            _up = _upsamples ? resample : null;
            _down = _upsamples ? null : resample;
            _body = nn.Conv2d(outputChannels, outputChannels, 3, stride: 1, padding: 1);
            _head = nn.Conv2d(outputChannels, outputChannels, 3, stride: 1, padding: 1);
            var gain = Math.Sqrt(2.0 / (1 + (HeldScalars.LeakySlopeValue * HeldScalars.LeakySlopeValue)));
            _resampleScale = BodyPace * gain / Math.Sqrt(inputChannels * 9.0);
            _bodyScale = BodyPace * gain / Math.Sqrt(outputChannels * 9.0);
            _headScale = 1 / Math.Sqrt(outputChannels * 9.0);
            using (no_grad())
            {
                // Seeded weights for the body (the He constant and the pace are applied at run time), zeros for the head
                // so δ starts at 0.
                foreach (var conv in new[] { resample, _body })
                {
                    conv.weight!.normal_(0, 1 / BodyPace, random);
                    conv.bias!.zero_();
                }

                _head.weight!.zero_();
                _head.bias!.zero_();
            }

            RegisterComponents();
        }

        private Conv2d Resampling => _up ?? _down!;

        public (Tensor Features, Tensor Delta) Run(Tensor input)
        {
            // In place: a conv's backward needs its input and weight, not its output.
            var features = Resample(input, Resampling.weight! * _resampleScale, Resampling.bias!).leaky_relu_(HeldScalars.LeakySlope);
            features = nn.functional.conv2d(features, _body.weight! * _bodyScale, _body.bias, padding: [1, 1]).leaky_relu_(HeldScalars.LeakySlope);
            // The head reads the features less their mean over the image. LeakyReLU features have a positive mean, and
            // Adam moves each of the head's 9·C weights by about the learning rate in the direction of its gradient's
            // sign, which for a shared mean is the same for all: their steps add up in δ's mean instead of averaging
            // out, and the first step threw the 128² proxy from 15 to 4 dB. Centred, the head's weights learn δ's
            // pattern and its bias its mean, each at free δ's pace.
            var headInput = _centred ? features - features.mean([2, 3], keepdim: true) : features;
            return (features, nn.functional.conv2d(headInput, _head.weight! * _headScale, _head.bias, padding: [1, 1]));
        }

        private Tensor Resample(Tensor input, Tensor weight, Tensor bias) => (_upsamples, _factor) switch
        {
            (_, 1) => nn.functional.conv2d(input, weight, bias, padding: [1, 1]),
            (false, _) => nn.functional.conv2d(input, weight, bias, strides: [_factor, _factor], padding: [1, 1]),
            // The generator's merged kernel: one transposed conv instead of a 4× larger up-sampled tensor and a conv on it.
            (true, 2) => UpsampledConvolution.Apply(input, weight, bias),
            (true, _) => nn.functional.conv2d(
                nn.functional.interpolate(input, scale_factor: [(double)_factor, (double)_factor], mode: InterpolationMode.Nearest), weight, bias, padding: [1, 1]),
        };

        public override Tensor forward(Tensor input) => Run(input).Delta;

        public void ConvertFromVersion1()
        {
            _centred = false;
            using var noGrad = no_grad();
            Resampling.weight!.div_(_resampleScale);
            _body.weight!.div_(_bodyScale);
            _head.weight!.div_(_headScale);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _resampleScale.Dispose();
                _bodyScale.Dispose();
                _headScale.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
