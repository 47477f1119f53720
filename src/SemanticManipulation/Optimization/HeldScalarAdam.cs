using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Optimization;

/// <summary>
/// TorchSharp's Adam, with every scalar operand held for the length of the native call that reads it.
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107's <c>Adam.step</c> passes a dozen plain <c>double</c>s per parameter to in-place tensor
/// ops (<c>mul_(beta1)</c>, <c>add_(grad, alpha: 1 - beta1)</c>, <c>addcdiv_(…, value: -step_size)</c>, …). Each becomes
/// a temporary <see cref="Scalar"/> that nothing references once its handle has been passed on, so a garbage collection
/// on another thread can finalize it, and free its native memory, while libtorch is still reading it. In a long
/// training run that surfaces as random native errors ("Unknown scalar type", "Expected false to be true") every few
/// hundred GAN steps. Here each step's scalars are created once, held in <c>using</c> locals, and disposed after the
/// update, so no collection can reach them early.</para>
/// <para>Same algorithm, same options and the same state (it is a TorchSharp <c>Adam</c>, and by that name): checkpoints written by either
/// load into the other, and the updates agree with TorchSharp's to the last bit.</para>
/// </remarks>
public static class HeldScalarAdam
{
    /// <summary>Creates the optimiser; the defaults are those of TorchSharp's <c>optim.Adam</c> factory (β2 = 0.99).</summary>
    public static TorchSharp.Modules.Adam Create(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
        double beta2 = 0.99, double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false) =>
        new Adam(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize);

    // TorchSharp writes and checks the optimiser's simple type name in its state files, so the subclass is named Adam
    // too (nested, to keep it apart from TorchSharp's): checkpoints stay interchangeable in both directions.
    private sealed class Adam : TorchSharp.Modules.Adam
    {
        public Adam(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
            double weightDecay, bool amsgrad, bool maximize)
            : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize)
        {
        }

        /// <inheritdoc />
        public override Tensor step(Func<Tensor>? closure = null) =>
            _step<ParamGroup>(group =>
            {
                var options = (Options)group.Options;
                var beta1 = options.beta1!.Value;
                var beta2 = options.beta2!.Value;
                var learningRate = options.LearningRate!.Value;
                var weightDecay = options.weight_decay!.Value;
                var maximize = options.maximize!.Value;
                var amsgrad = options.amsgrad!.Value;
                using Scalar keep1 = beta1, take1 = 1 - beta1, keep2 = beta2, take2 = 1 - beta2, epsilon = options.eps!.Value;
                using Scalar decay = weightDecay, one = 1;

                foreach (var parameter in group.Parameters)
                {
                    var state = (State)_state[parameter.Handle];
                    var gradient = parameter.grad;
                    if (gradient is null)
                    {
                        continue;
                    }

                    if (maximize)
                    {
                        gradient = gradient.neg();
                    }

                    state.step += 1;
                    using Scalar rootCorrection2 = Math.Sqrt(1 - Math.Pow(beta2, state.step));
                    using Scalar negativeStepSize = -learningRate / (1 - Math.Pow(beta1, state.step));

                    if (weightDecay != 0)
                    {
                        gradient = gradient.add(parameter, alpha: decay);
                    }

                    state.exp_avg.mul_(keep1).add_(gradient, alpha: take1);
                    state.exp_avg_sq.mul_(keep2).addcmul_(gradient, gradient.conj(), value: take2);

                    Tensor second = state.exp_avg_sq;
                    if (amsgrad)
                    {
                        var previous = state.max_exp_avg_sq;
                        state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                        previous.Dispose();
                        second = state.max_exp_avg_sq;
                    }

                    // add_(s) alone would make a temporary alpha = 1: pass a held one.
                    var denominator = second.sqrt().div_(rootCorrection2).add_(epsilon, alpha: one);
                    parameter.addcdiv_(state.exp_avg, denominator, value: negativeStepSize);
                }
            }, closure);
    }
}
