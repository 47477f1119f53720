namespace SemanticManipulation.Imaging;

/// <summary>
/// An image file or stream cannot be used: it is not in a recognised format, its content is corrupt, or its size is
/// zero, beyond the configured limits or not what the requested fit needs. The message names the source and the reason.
/// </summary>
public sealed class UnsupportedImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedImageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the source.</param>
    public UnsupportedImageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What is wrong, naming the source.</param>
    /// <param name="innerException">The decoder's own exception, if any.</param>
    public UnsupportedImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the file or stream that was rejected.</summary>
    /// <param name="source">The path of the file, or a description of the stream.</param>
    /// <param name="message">What is wrong, naming the source.</param>
    /// <param name="innerException">The decoder's own exception, if any.</param>
    public UnsupportedImageException(string? source, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ImageSource = source;
    }

    /// <summary>The path of the rejected file, or a description of the rejected stream; null when not known.</summary>
    public string? ImageSource { get; }
}
