using SemanticManipulation.Imaging;

namespace SemanticManipulation.Studio.Api;

/// <summary>Reads an uploaded image (the raw file as the request body) within the size limit, and checks that it
/// decodes within the pixel limits before any tensor work is queued.</summary>
internal static class UploadReader
{
    /// <summary>The body's bytes.</summary>
    /// <exception cref="StudioException">413 over <paramref name="maxBytes"/>; 400 for an empty body.</exception>
    public static async Task<byte[]> Read(HttpRequest request, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tooLarge = $"The upload is larger than the studio accepts ({maxBytes / 1048576.0:0.#} MiB, Studio:MaxUploadBytes): send a smaller image.";
        if (request.ContentLength > maxBytes)
        {
            throw new StudioException(StatusCodes.Status413PayloadTooLarge, tooLarge);
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                throw new StudioException(StatusCodes.Status413PayloadTooLarge, tooLarge);
            }

            body.Write(buffer, 0, read);
        }

        return body.Length > 0
            ? body.ToArray()
            : throw StudioException.BadRequest("The upload is empty: send the image file's bytes as the request body.");
    }

    /// <summary>Decodes the image once (no tensors: the decoder only) so that a non-image or a decompression bomb is
    /// refused with 400 before the request is queued or a stream is started.</summary>
    /// <exception cref="UnsupportedImageException">Not an image, corrupt, or over the limits.</exception>
    public static void Check(byte[] encoded, ImageLoadOptions limits)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var decoded = ImageTensor.Decode(new MemoryStream(encoded, writable: false), limits);
    }
}
