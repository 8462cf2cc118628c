#include "config/yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <exception>
#include <sstream>

namespace hbd::config {
namespace {

// Counts the events of one document; only their positions matter here.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start;
};

// True when `content` is one YAML document. yaml-cpp 0.7 never gets past a stray flow token
// (',' at the top level): it returns the same empty document again and again, and LoadAll
// allocates until memory runs out. So the documents are counted here, and a document that starts
// where the previous one started is reported as the syntax error it is.
bool CheckDocuments(std::string_view content, const std::string& file, Diagnostics& diags) {
  std::istringstream in{std::string(content)};
  YAML::Parser parser(in);
  DocumentCounter counter;
  int documents = 0;
  int previous_start = -1;
  YAML::Mark second;
  while (documents < 3 && parser.HandleNextDocument(counter)) {
    if (counter.start.pos == previous_start) {
      auto pos = static_cast<size_t>(counter.start.pos);
      std::string what = pos < content.size() ? std::string(1, content[pos]) : "end of file";
      diags.Error(file, counter.start.line + 1,
                  "YAML syntax error: unexpected '" + what + "' outside a [list] or {mapping}");
      return false;
    }
    previous_start = counter.start.pos;
    if (++documents == 2)
      second = counter.start;
  }
  if (documents >= 2) {
    diags.Error(file, second.line + 1, "file holds several YAML documents ('---'); hbd reads one");
    return false;
  }
  return true;
}

}  // namespace

std::optional<YAML::Node> LoadYamlDocument(std::string_view content, const std::string& file,
                                           Diagnostics& diags) {
  if (content.size() > kMaxYamlFileSize) {
    diags.Error(file, 0,
                "file is " + std::to_string(content.size()) + " bytes long (limit " +
                    std::to_string(kMaxYamlFileSize) + "); is this the right file?");
    return std::nullopt;
  }
  size_t nul = content.find('\0');
  if (nul != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(content.begin(), content.begin() + nul, '\n'));
    diags.Error(file, line, "file contains a NUL byte (is this a binary file?)");
    return std::nullopt;
  }
  try {
    if (!CheckDocuments(content, file, diags))
      return std::nullopt;
    YAML::Node root = YAML::Load(std::string(content));
    if (root.IsNull()) {
      diags.Error(file, 0, "file is empty: it must hold the cluster configuration");
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() || e.mark.line < 0 ? 0 : e.mark.line + 1;
    diags.Error(file, line, "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    diags.Error(file, 0, std::string("cannot read the file as YAML: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace hbd::config
