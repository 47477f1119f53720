namespace SemanticManipulation.Imaging;

/// <summary>How a photo of any size is brought to the model's square resolution S×S.</summary>
public enum ImageFitMode
{
    /// <summary>Scale so that the shorter side is S, then keep the centred S×S square (the sides of the longer
    /// dimension are cut off). Follows torchvision's <c>Resize(S)</c> + <c>CenterCrop(S)</c> arithmetic.</summary>
    CenterCrop,

    /// <summary>Scale so that the longer side is S and centre the result on an S×S canvas of the background colour
    /// (letterbox). Nothing is cut off, but the model also sees the bars.</summary>
    Pad,

    /// <summary>Scale each dimension independently to S, distorting the aspect ratio of non-square photos.</summary>
    Stretch,

    /// <summary>Use the photo unchanged; refuse it unless it is already S×S.</summary>
    Exact,
}
