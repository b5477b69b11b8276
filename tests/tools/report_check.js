// Appended to a copy of report.html by tests/integration/report_screenshot.sh
// (the report itself has no script): once the page and its images have
// loaded, write what a person would look at into a pre element of id
// mp-check, which chromium --dump-dom prints. One line per fact:
//   img NAME WIDTHxHEIGHT loaded|broken TOP
//   summary TOP TEXT
//   view WIDTHxHEIGHT
window.addEventListener("load", function () {
	var out = [];
	var imgs = document.querySelectorAll("img");
	for (var i = 0; i < imgs.length; i++) {
		var r = imgs[i].getBoundingClientRect();
		var ok = imgs[i].complete && imgs[i].naturalWidth > 0;
		out.push("img " + imgs[i].getAttribute("src") + " " + Math.round(r.width) + "x" +
			 Math.round(r.height) + " " + (ok ? "loaded" : "broken") + " " +
			 Math.round(r.top));
	}
	var s = document.querySelector("div.summary");
	if (s)
		out.push("summary " + Math.round(s.getBoundingClientRect().top) + " " +
			 s.textContent.replace(/\s+/g, " ").trim());
	out.push("view " + window.innerWidth + "x" + window.innerHeight);
	var pre = document.createElement("pre");
	pre.id = "mp-check";
	pre.textContent = out.join("\n");
	document.body.appendChild(pre);
});
