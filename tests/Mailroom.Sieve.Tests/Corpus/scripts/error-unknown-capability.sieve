require ["fileinto", "x-nonsense"];
