namespace SemanticManipulation.Optimization;

/// <summary>
/// Thrown when a fit (adaptation, inversion, encoder or GAN training) reaches a step whose loss is NaN or infinite. The
/// message names the step and the learning rate to lower; more steps would only make it worse.
/// </summary>
/// <remarks>An <see cref="InvalidOperationException"/>, so code that caught divergence as one still does.</remarks>
public sealed class FittingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public FittingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What diverged, where, and what to do.</param>
    public FittingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What diverged, where, and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public FittingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The (1-based) step whose loss was not finite; 0 when not known.</summary>
    public int Step { get; init; }

    /// <summary>The non-finite loss of that step.</summary>
    public double Loss { get; init; } = double.NaN;
}
