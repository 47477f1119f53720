using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Runtime;

/// <summary>
/// Scalars that live as long as the process, and the hot-path operations that would otherwise make a temporary one.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns a plain <c>double</c> operand into a temporary <see cref="Scalar"/> that nothing references
/// once its native handle has been passed on; a garbage collection triggered on another thread while libtorch is still
/// reading it lets the finalizer free it mid-call ("Unknown scalar type", "Expected false to be true"). Its own
/// <c>square()</c> (<c>pow(2)</c>), <c>nn.functional.leaky_relu(x, slope)</c>, and even <c>a + b</c> and
/// <c>add_(s)</c> (an implicit <c>alpha = 1</c>) are such calls. Code that runs every
/// training or fitting step uses these instead. See also <see cref="Optimization.HeldScalarAdam"/>.
/// </remarks>
public static class HeldScalars
{
    /// <summary>1, the weight of a fused multiply-add.</summary>
    internal static readonly Scalar One = 1;

    /// <summary>2, the exponent of a square.</summary>
    internal static readonly Scalar Two = 2;

    /// <summary>ProGAN's (and every network here's) LeakyReLU slope, 0.2.</summary>
    internal static readonly Scalar LeakySlope = 0.2;

    /// <summary>The LeakyReLU slope as a number, for initialisation gains.</summary>
    public const double LeakySlopeValue = 0.2;

    /// <summary>x², element-wise (what <c>Tensor.square()</c> computes, without its temporary Scalar).</summary>
    public static Tensor Squared(this Tensor x) => x.pow(Two);

    /// <summary>LeakyReLU(0.2) (what <c>nn.functional.leaky_relu(x, 0.2)</c> computes, without its temporary Scalar).</summary>
    public static Tensor LeakyRelu(this Tensor x) => x.leaky_relu(LeakySlope);
}
