namespace SemanticManipulation.Training.Evaluation;

/// <summary>One edit of a real photo, through the whole pipeline, as the segmenter and PSNR judge it.</summary>
/// <param name="MaskFraction">Fraction of the model-size photo inside the mask.</param>
/// <param name="ShareBefore">The segmenter's share of the concept inside the mask on the photo.</param>
/// <param name="ShareAfter">The segmenter's share of the concept inside the mask on the rendered edit.</param>
/// <param name="KeptPsnrDb">PSNR of the rendered edit against the photo on the kept pixels (the adaptation's keep mask:
/// everything but the edit grown and softened), in dB.</param>
/// <param name="AdaptationSeconds">Seconds spent fitting G' for this edit.</param>
public sealed record RealPhotoEditMeasurement(double MaskFraction, double ShareBefore, double ShareAfter, double KeptPsnrDb, double AdaptationSeconds);
