namespace SemanticManipulation.Diagnostics;

/// <summary>Thrown by the <see cref="NonFiniteWatch"/> debug switch at the first tensor that holds NaN or infinity.</summary>
public sealed class NonFiniteTensorException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteTensorException()
    {
    }

    /// <summary>Creates the exception with a message naming the tensor.</summary>
    /// <param name="message">The loop, the step and the tensor.</param>
    public NonFiniteTensorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The loop, the step and the tensor.</param>
    /// <param name="innerException">The cause.</param>
    public NonFiniteTensorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
