// EPUBCheck's verdict on each EPUB named on the command line, in one JVM (starting Java and
// loading the schemas is most of a single check's time). One line a file on stdout:
// path TAB fatal TAB errors TAB warnings TAB each message (severity code: text), tab-separated.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.messages.MessageId;
import com.adobe.epubcheck.api.EPUBLocation;
import com.adobe.epubcheck.messages.Message;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

public class EpubCheckAll {
    static class Collect extends DefaultReportImpl {
        final List<String> said = new ArrayList<>();
        Collect(String name) { super(name); }
        @Override
        public void message(Message message, EPUBLocation location, Object... args) {
            super.message(message, location, args);
            String where = location == null ? "" : location.getPath() + ":" + location.getLine() + ": ";
            said.add(message.getSeverity() + " " + message.getID() + ": " + where
                     + message.getMessage(args).replace('\t', ' ').replace('\n', ' '));
        }
    }

    public static void main(String[] args) {
        for (String path : args) {
            Collect report = new Collect(path);
            new EpubCheck(new File(path), report).doValidate();
            StringBuilder line = new StringBuilder(path);
            line.append('\t').append(report.getFatalErrorCount()).append('\t').append(report.getErrorCount())
                .append('\t').append(report.getWarningCount());
            for (String s : report.said) line.append('\t').append(s);
            System.out.println(line);
        }
    }
}
