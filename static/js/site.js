// Site-wide enhancements. Every page works without this file.
document.documentElement.classList.add("js");
