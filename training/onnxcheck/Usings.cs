global using AvatarLab.Inference.IO;
