namespace SemanticManipulation.Imaging;

/// <summary>
/// Maps a single-channel mask covering the whole photo onto the S×S canvas of an <see cref="ImageFit"/>, with the
/// same pixel-centre mapping as the photo's resize, so that mask and photo stay aligned. Canvas pixels outside the
/// photo (letterbox) are 0.
/// </summary>
internal static class MaskResampler
{
    /// <summary>Resamples <paramref name="source"/> (row-major, <paramref name="width"/> × <paramref name="height"/>,
    /// any size with the photo's aspect ratio) to a row-major S×S plane.</summary>
    public static float[] Resample(float[] source, int width, int height, ImageFit fit, MaskResampling mode)
    {
        var resolution = fit.Resolution;
        var result = new float[resolution * resolution];
        var content = fit.ContentRectangle;
        if (content.IsEmpty)
        {
            return result;
        }

        var columns = Weights(content.X - fit.Placement.X, content.Width, fit.Placement.Width, width, mode);
        var rows = Weights(content.Y - fit.Placement.Y, content.Height, fit.Placement.Height, height, mode);

        // Horizontal pass over only the source rows some output row reads, then the vertical pass.
        var firstRow = rows[0].Start;
        var lastRow = rows[^1].Start + rows[^1].Weights.Length - 1;
        var horizontal = new float[(lastRow - firstRow + 1) * content.Width];
        for (var sy = firstRow; sy <= lastRow; sy++)
        {
            var sourceRow = source.AsSpan(sy * width, width);
            var target = horizontal.AsSpan((sy - firstRow) * content.Width, content.Width);
            for (var cx = 0; cx < columns.Length; cx++)
            {
                target[cx] = (float)Apply(columns[cx], sourceRow);
            }
        }

        for (var cy = 0; cy < rows.Length; cy++)
        {
            var (start, weights) = rows[cy];
            var outputRow = result.AsSpan(((content.Y + cy) * resolution) + content.X, content.Width);
            for (var cx = 0; cx < content.Width; cx++)
            {
                double sum = 0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * horizontal[((start - firstRow + k) * content.Width) + cx];
                }

                // Weights are non-negative and sum to 1, so only rounding can leave [0, 1].
                outputRow[cx] = Math.Clamp((float)sum, 0f, 1f);
            }
        }

        return result;
    }

    private static double Apply((int Start, double[] Weights) tap, ReadOnlySpan<float> row)
    {
        double sum = 0;
        for (var k = 0; k < tap.Weights.Length; k++)
        {
            sum += tap.Weights[k] * row[tap.Start + k];
        }

        return sum;
    }

    /// <summary>
    /// For each of <paramref name="count"/> output pixels starting at scaled position <paramref name="first"/> (in a
    /// photo scaled to <paramref name="scaledLength"/>), the source pixels it reads and their weights.
    /// </summary>
    private static (int Start, double[] Weights)[] Weights(int first, int count, int scaledLength, int sourceLength, MaskResampling mode)
    {
        var scale = (double)sourceLength / scaledLength;
        var taps = new (int, double[])[count];
        for (var i = 0; i < count; i++)
        {
            var u = first + i;
            if (mode == MaskResampling.Nearest)
            {
                taps[i] = (Math.Min(sourceLength - 1, (int)Math.Floor((u + 0.5) * scale)), [1.0]);
                continue;
            }

            // Output pixel u covers source interval [u·scale, (u + 1)·scale); each source pixel weighs by its overlap.
            var from = u * scale;
            var to = Math.Min(sourceLength, (u + 1) * scale);
            var start = Math.Min(sourceLength - 1, (int)Math.Floor(from));
            var end = Math.Max(start + 1, Math.Min(sourceLength, (int)Math.Ceiling(to)));
            var weights = new double[end - start];
            double total = 0;
            for (var s = start; s < end; s++)
            {
                var overlap = Math.Min(to, s + 1) - Math.Max(from, s);
                weights[s - start] = Math.Max(0, overlap);
                total += weights[s - start];
            }

            if (total <= 0)
            {
                weights[0] = total = 1;
            }

            for (var k = 0; k < weights.Length; k++)
            {
                weights[k] /= total;
            }

            taps[i] = (start, weights);
        }

        return taps;
    }
}
